"""Demo content: original writing used by `broadsheet serve --demo`."""

AUTHORS = [
    {
        "username": "maya",
        "display_name": "Maya Okafor",
        "slug": "maya-okafor",
        "bio": "Writes about cities, housing and the economics of everyday infrastructure.",
    },
    {
        "username": "tomas",
        "display_name": "Tomás Lindqvist",
        "slug": "tomas-lindqvist",
        "bio": "Energy analyst. Grids, storage and the slow arithmetic of transitions.",
    },
    {
        "username": "priya",
        "display_name": "Priya Raman",
        "slug": "priya-raman",
        "bio": "Technology policy and forecasting. Keeps score of her own predictions.",
    },
]

TAGS = [
    {"name": "Cities", "slug": "cities", "description": "Housing, transport and urban policy."},
    {"name": "Economics", "slug": "economics", "description": "Markets, prices and incentives."},
    {"name": "Energy", "slug": "energy", "description": "Power grids, storage and fuels."},
    {
        "name": "Technology policy",
        "slug": "tech-policy",
        "description": "Rules for software and the platforms built on it.",
    },
    {
        "name": "Forecasting",
        "slug": "forecasting",
        "description": "Predictions, probabilities and keeping score.",
    },
    {
        "name": "Methods",
        "slug": "methods",
        "description": "How to read data without fooling yourself.",
    },
]

POSTS = [
    {
        "title": "Why bus lanes pay for themselves faster than new roads",
        "slug": "bus-lanes-pay-for-themselves",
        "author": "maya",
        "tags": ["cities", "economics"],
        "days_ago": 60,
        "custom_excerpt": "",
        "body": """A painted bus lane costs almost nothing next to a new interchange, yet cities treat the two as if they belonged to different universes of ambition. The road is a project; the lane is an afterthought. That is backwards.

## What a lane actually buys

A bus that carries sixty people and loses four minutes at every congested junction is wasting four person-hours per trip. Across a corridor with a bus every five minutes, that is hundreds of hours a day, every day, for the price of paint, a few cameras and the political nerve to take a lane from parked cars.

The evidence from cities that have tried it is consistent: reliability improves first, ridership follows, and operating costs fall because the same fleet completes more trips. The Wikipedia summary of bus rapid transit (https://en.wikipedia.org/wiki/Bus_rapid_transit) is a decent starting point for the numbers.

## Why it does not happen

- The costs are concentrated (a few shop owners lose kerbside parking) while the benefits are spread thin across thousands of riders.
- Road budgets are capital budgets; bus service is an operating cost, and the two are counted by different people.
- A lane is easy to remove after the next election, so nobody wants to spend political capital on it.

None of these are arguments against the lane. They are arguments for measuring it properly, publishing the before-and-after travel times, and letting riders see what they gained.""",
        "edit": None,
        "comments": [
            {
                "name": "Daniel R.",
                "body": "The shop owners' objection is real though. Our high street lost two cafés after the lane went in.",
            },
            {
                "name": "Maya Okafor",
                "body": "Fair point, and worth checking: did footfall fall, or did rents rise at the same time? Most studies find people arriving by bus spend as much per month as people arriving by car.\n\nI'd love to see your high street's numbers.",
            },
        ],
        "views": 412,
    },
    {
        "title": "Storage is not the bottleneck you think it is",
        "slug": "storage-is-not-the-bottleneck",
        "author": "tomas",
        "tags": ["energy"],
        "days_ago": 45,
        "custom_excerpt": "The grid's real constraint is the queue of projects waiting to connect, not the batteries.",
        "body": """Every conversation about renewable power eventually arrives at the same worry: what happens when the wind stops? Batteries are the usual answer, and their price has fallen fast enough that the worry is fading. The harder problem is duller. It is the interconnection queue.

## The queue

Before a new solar farm or battery can export power, the grid operator has to study what it will do to the network. Those studies are done one cluster at a time, and in many regions the backlog is now measured in years. A project that is cheap to build can still wait half a decade to be allowed to switch on.

> A kilowatt-hour you cannot deliver is worth exactly nothing, however cheap it was to make.

## What would help

1. Study projects in larger batches, with the cost of network upgrades shared by formula rather than negotiated one by one.
2. Publish hosting capacity maps so that developers stop proposing projects where the wires are already full.
3. Let storage sit behind existing connections, where it uses capacity that is idle most of the day.

The good news is that none of this requires new technology. It requires administrative capacity, which is cheaper than copper and much faster to build. A useful overview of how grid queues work is at https://en.wikipedia.org/wiki/Electrical_grid.""",
        "edit": None,
        "comments": [
            {
                "name": "Ines",
                "body": "Point 3 is underrated. Co-locating batteries with existing solar seems like the fastest win available.",
            },
        ],
        "views": 288,
    },
    {
        "title": "Keeping score: my forecasts for the year, with probabilities",
        "slug": "keeping-score-forecasts",
        "author": "priya",
        "tags": ["forecasting", "tech-policy"],
        "days_ago": 33,
        "custom_excerpt": "",
        "body": """Commentary is cheap when nobody checks it. So here are my forecasts for the coming year, each with a probability and a date by which it resolves. I will grade myself in public.

| Claim | Probability | Resolves by |
|---|---|---|
| A major app store lowers its standard commission below 20% | 35% | December 31 |
| A national regulator fines a platform more than €1bn | 60% | December 31 |
| An open-weight model tops a widely used coding benchmark | 45% | September 30 |

## Why probabilities

Saying something "might happen" is unfalsifiable. Saying it has a 35% chance is not: across many such claims, about a third should come true. If far more or far fewer do, my calibration is off and readers should discount me accordingly.

## How I will grade

I will use the Brier score, the mean squared difference between my probability and what happened (1 or 0). Lower is better; always answering 50% scores 0.25. Anything near 0.25 means I added nothing.

The method is described well in the Wikipedia article on scoring rules (https://en.wikipedia.org/wiki/Scoring_rule).""",
        "edit": None,
        "comments": [
            {
                "name": "Sam K.",
                "body": "60% on the fine feels low given the pace of enforcement this year.",
            },
            {
                "name": "Priya Raman",
                "body": "Maybe! Fines get announced and then appealed for years; I only count ones that are actually imposed.",
            },
            {"name": "Lena", "body": "Please do a mid-year update so we can see the numbers move."},
        ],
        "views": 530,
    },
    {
        "title": "Rent control, once more, with the evidence",
        "slug": "rent-control-evidence",
        "author": "maya",
        "tags": ["cities", "economics", "methods"],
        "days_ago": 21,
        "custom_excerpt": "",
        "body": """Few debates generate as much heat per unit of evidence as rent control. Economists tend to oppose it; tenants tend to support it; both sides usually cite the same handful of studies and read them differently.

## What the studies agree on

Sitting tenants in controlled units benefit: they move less and pay less. Over time, landlords respond by converting or redeveloping units to escape the rules, which shrinks the rental supply. Both effects are real. The argument is about their size and about who counts.

## What they disagree on

The design matters enormously. A hard cap on all rents is a different policy from a limit on *annual increases* for sitting tenants that resets between tenancies. Lumping them together under one name is how two honest people end up shouting past each other.

## A test worth running

If a city wants to try it, it should do what medicine does: announce the outcome measures in advance (rents, supply, moves, evictions), publish the data, and commit to reviewing the policy after a fixed period. A good primer on the history is at [the Wikipedia entry on rent regulation](https://en.wikipedia.org/wiki/Rent_regulation).""",
        "edit": {
            "days_after": 3,
            "append": "\n\n**Update:** several readers asked for the design distinction in one line: caps on *levels* and limits on *increases* behave very differently, and most modern schemes are the second kind.",
        },
        "comments": [
            {
                "name": "Arjun",
                "body": "The 'announce outcome measures in advance' idea should apply to every housing policy, not just this one.",
            },
            {
                "name": "Beth",
                "body": "Vacancy decontrol seems like the key detail that most coverage leaves out.",
            },
        ],
        "views": 367,
    },
    {
        "title": "How to read a chart that starts its axis at 40",
        "slug": "read-a-chart-axis",
        "author": "priya",
        "tags": ["methods"],
        "days_ago": 14,
        "custom_excerpt": "",
        "body": """A bar chart whose vertical axis starts at 40 instead of zero can make a 5% difference look like a doubling. It is the oldest trick in the book and it still works, because our eyes compare lengths, not labels.

## Three questions to ask of any chart

- **Where does the axis start?** Bars must start at zero; lines need not, but the scale should be stated.
- **What is the denominator?** Counts rise with population; rates are usually what you want.
- **What was left out?** A series that starts in a convenient year can turn a cycle into a trend.

A line chart of a quantity that moves within a narrow band *should* zoom in, or every line looks flat. The problem is not a truncated axis as such; it is a truncated axis on a chart type that encodes value as length.

```
bar length  ->  must start at zero
line slope  ->  may zoom, say so
```

Good charts make the comparison the author intends easy and the ones they did not intend possible.""",
        "edit": None,
        "comments": [],
        "views": 198,
    },
    {
        "title": "The hidden subsidy in free parking",
        "slug": "hidden-subsidy-free-parking",
        "author": "maya",
        "tags": ["cities", "economics"],
        "days_ago": 9,
        "custom_excerpt": "",
        "body": """Nothing in a city is free, least of all the space a car occupies for the 95% of its life that it spends parked. Minimum parking requirements force every new building to provide that space whether or not its occupants want it, and everybody pays through higher rents and prices.

## Counting the cost

A structured parking space can cost as much to build as a small car. When the rules require two per flat, the cost is folded into the rent of every flat, including those of residents who do not own a car. That is a transfer from people without cars to people with them, rarely noticed because it never appears on a bill.

## What cities are trying

Several cities have dropped minimums altogether, leaving developers to build as much parking as buyers will pay for. The early result is that they still build parking, just less of it, and more housing appears on lots that were previously uneconomic. The Wikipedia article on parking minimums (https://en.wikipedia.org/wiki/Parking_mandate) collects the examples.

The reform costs the city nothing. It only stops requiring something.""",
        "edit": None,
        "comments": [
            {
                "name": "Oskar",
                "body": "Where I live the fight is over on-street parking permits, which is a different but related subsidy.",
            },
            {
                "name": "Rachel T.",
                "body": "Would love a follow-up on what happened to on-street parking demand after the minimums went.",
            },
        ],
        "views": 143,
    },
    {
        "title": "Heat pumps in cold climates: the numbers behind the winter worry",
        "slug": "heat-pumps-cold-climates",
        "author": "tomas",
        "tags": ["energy", "methods"],
        "days_ago": 4,
        "custom_excerpt": "Efficiency falls as it gets colder, but rarely as far as the worry suggests.",
        "body": """The objection to heat pumps is always the same: they stop working when it is really cold. It is half true, and the half that is true matters less than it sounds.

## Efficiency falls, it does not vanish

A heat pump's coefficient of performance (heat delivered per unit of electricity) drops as the outdoor temperature falls. A modern cold-climate unit that delivers three units of heat per unit of power at 7°C may deliver two at -15°C. Two is still twice as good as a resistive heater, and the coldest hours are a small share of the heating season.

## Where the real problems are

- Poorly insulated homes need larger units, which cost more up front.
- Installers used to gas boilers size heat pumps badly, and an undersized unit *does* struggle on the coldest days.
- On the grid side, a cold snap raises demand everywhere at once, which is a planning problem rather than a technology problem.

For readers who want the physics, the [Wikipedia article on heat pumps](https://en.wikipedia.org/wiki/Heat_pump) is clear and well sourced.""",
        "edit": None,
        "comments": [
            {
                "name": "Gunnar",
                "body": "Ours has run through three Swedish winters without complaint. Insulation first, then the pump.",
            },
        ],
        "views": 96,
    },
    {
        "title": "Open data is not the same as usable data",
        "slug": "open-data-usable-data",
        "author": "priya",
        "tags": ["tech-policy", "methods"],
        "days_ago": 1,
        "custom_excerpt": "",
        "body": """Governments like to announce that a dataset is now "open". Often that means a PDF of a spreadsheet, published once, with column names that only the person who made it understands. Open, technically. Useful, rarely.

## What usable means

Usable data is machine-readable, documented, updated on a known schedule, and stable in its format, so that anything built on it does not break next quarter. It has an owner who answers questions. None of that is expensive; all of it requires someone to care after the press release.

## A modest proposal

Every published dataset should come with three things: a data dictionary, a changelog, and a contact. Publishers who cannot commit to those should say so, so that users know what they are relying on.

Good examples exist, and they share a habit: they treat their users as colleagues rather than an audience.""",
        "edit": None,
        "comments": [
            {
                "name": "Marco",
                "body": "The changelog point is the one. Silent schema changes have broken more of my scripts than anything else.",
            },
        ],
        "views": 57,
    },
]
