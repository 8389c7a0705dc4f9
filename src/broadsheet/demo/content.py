"""Demo content: original writing used by `broadsheet serve --demo`."""

from typing import NotRequired, TypedDict


class CommentSpec(TypedDict):
    name: str
    body: str


class EditSpec(TypedDict):
    days_after: int
    append: str


class RevisionSpec(TypedDict):
    """A prediction's probability changed in the text after publication."""

    probability: str
    days_after: int  # after the post's publication


class ResolutionSpec(TypedDict):
    outcome: str  # "true", "false" or "void"
    note: str
    days_after: int  # after the post's publication; before the demo's today
    source: NotRequired[str]
    by: NotRequired[str]  # a writer's username; the post's author if not given


class PredictionSpec(TypedDict):
    """A ```prediction block, written at the end of its post's body in this order."""

    statement: str
    probability: str
    resolves_in_days: int  # its date, so many days after the post's publication
    criteria: NotRequired[str]
    revised: NotRequired[RevisionSpec]
    resolution: NotRequired[ResolutionSpec]
    correction: NotRequired[ResolutionSpec]  # a later resolution that corrects the first


class PostSpec(TypedDict):
    title: str
    slug: str
    author: str
    tags: list[str]
    days_ago: int
    custom_excerpt: str
    body: str
    edit: EditSpec | None
    comments: list[CommentSpec]
    views: int
    predictions: NotRequired[list[PredictionSpec]]


class StudioExampleSpec(TypedDict):
    title: str
    author: str
    status: str
    tags: list[str]
    body: str
    in_days: NotRequired[int]


AUTHORS: list[dict[str, str]] = [
    {
        "username": "kofi",
        "display_name": "Kofi Mensah-Adu",
        "slug": "kofi-mensah-adu",
        "bio": "Economist by training. Writes about prices, wages and the quiet arithmetic behind public budgets.",
    },
    {
        "username": "hanna",
        "display_name": "Hanna Veldhuis",
        "slug": "hanna-veldhuis",
        "bio": "Urban planner turned writer. Interested in the small rules that decide what a street looks like.",
    },
    {
        "username": "ines",
        "display_name": "Inés Carvalho",
        "slug": "ines-carvalho",
        "bio": "Spent ten years at a distribution utility. Now writes about grids, hardware and the unglamorous side of the energy transition.",
    },
    {
        "username": "devika",
        "display_name": "Devika Sorensen",
        "slug": "devika-sorensen",
        "bio": "Covers technology regulation and public-sector software. Publishes her forecasts and grades them.",
    },
]

TAGS: list[dict[str, str]] = [
    {
        "name": "Economics",
        "slug": "economics",
        "description": "Prices, wages, incentives and who ends up paying.",
    },
    {
        "name": "Cities",
        "slug": "cities",
        "description": "Streets, transport and the rules that shape urban life.",
    },
    {
        "name": "Housing",
        "slug": "housing",
        "description": "Zoning, supply and the cost of a place to live.",
    },
    {
        "name": "Energy",
        "slug": "energy",
        "description": "Power grids, equipment and the economics of electricity.",
    },
    {
        "name": "Technology policy",
        "slug": "tech-policy",
        "description": "How governments regulate, buy and build software.",
    },
    {
        "name": "Forecasting",
        "slug": "forecasting",
        "description": "Explicit predictions with probabilities, made to be checked later.",
    },
    {
        "name": "Measurement",
        "slug": "measurement",
        "description": "Reading statistics carefully and knowing what a number can and cannot tell you.",
    },
]

POSTS: list[PostSpec] = [
    {
        "title": "What the price of a haircut says about inflation",
        "slug": "price-of-a-haircut",
        "author": "kofi",
        "tags": ["economics", "measurement"],
        "days_ago": 62,
        "custom_excerpt": "",
        "body": """A haircut takes about as long today as it did fifty years ago. The scissors are better, the chairs are more comfortable and the music is arguably worse, but a barber still gets through roughly the same number of heads in an afternoon. And yet the price of a haircut has risen far faster than the price of a television, a plane ticket or a pair of jeans.

This is not a story about greedy barbers. It is one of the most reliable patterns in economics, and it quietly shapes every argument about inflation, public spending and the cost of living.

## Wages follow the economy, not the job

A barber's wage is not set by barbering productivity. It is set by what the barber could earn doing something else. When factories, warehouses and offices become more productive, wages in those sectors rise, and the barbershop has to keep up or lose its staff. The result is that the price of a service whose productivity barely changes rises steadily relative to goods whose productivity soars.

Economists call this *cost disease*, after William Baumol, who noticed it in live performance: a string quartet needs four players today, just as it did two centuries ago (https://en.wikipedia.org/wiki/Baumol%27s_cost_disease). The name is unfortunate. Nothing is sick. It is the mirror image of progress elsewhere.

## Why it matters for reading inflation

When a headline inflation figure is split into goods and services, services almost always run hotter. That is often read as a sign of an overheating labour market, and sometimes it is. But part of the gap is structural and would be there even in a perfectly calm economy. Before treating a services number as alarming, it is worth comparing it with *its own* long-run trend rather than with goods.

The same logic explains why education, childcare and health care seem to get relatively more expensive every decade, even where nobody is wasting money. Those sectors are labour-intensive by nature. A class of thirty does not become a class of three hundred because the projector got better.

## What follows from it

The uncomfortable implication is that a society getting richer should expect to spend a growing share of its income on things done by people for people. That is not a failure of management. It is arguably the point of getting richer. The policy question is not how to stop it, but how to pay for it without pretending it is a temporary problem.

The cheerful implication is that we can afford it. If productivity elsewhere keeps rising, the haircut costs more in hours of barber time but fewer in hours of everybody else's.

## Three numbers to check

Arguments like this one are easy to make and hard to test, so here are forecasts that the next figures will settle, two of them within weeks.""",
        "edit": None,
        "comments": [
            {
                "name": "Gareth Pryce",
                "body": "Good piece, but I think you let recent services inflation off too lightly. Cost disease is a slow, steady drift. When services inflation jumps two or three points in a single year, that isn't Baumol, that's wages chasing prices.\n\nI do agree the comparison should be against the trend. Very few reports bother to show it.",
            },
            {
                "name": "Kofi Mensah-Adu",
                "body": "Agreed, Gareth. The structural story explains the average gap between goods and services, not the swings around it. I should have said that more clearly.",
            },
            {
                "name": "Amaka N.",
                "body": "Does this apply to software? A lot of what I pay for now is a subscription run by people, but one small team can serve millions of customers. Where does that sit?",
            },
        ],
        "views": 612,
        "predictions": [
            {
                "statement": "The next monthly inflation release will show services prices rising faster than goods prices over the year.",
                "probability": "85%",
                "resolves_in_days": 20,
                "criteria": "The headline services and goods rates in the statistics office's first release.",
                "resolution": {
                    "outcome": "true",
                    "note": "Services rose 4.1% over the year, goods 1.3%.",
                    "days_after": 21,
                    "source": "https://example.org/statistics/prices-monthly",
                },
            },
            {
                "statement": "Hairdressing prices in the consumer price index will be more than 4% higher than a year earlier in the release after next.",
                "probability": "60%",
                "resolves_in_days": 25,
                "resolution": {
                    "outcome": "false",
                    "note": "The index for hairdressing and personal grooming stood 3.6% higher: close, but under.",
                    "days_after": 27,
                },
            },
            {
                "statement": "Childcare fees will rise faster than overall inflation in this year's official survey of providers.",
                "probability": "70%",
                "resolves_in_days": 320,
            },
        ],
    },
    {
        "title": "Bring back the corner shop",
        "slug": "bring-back-the-corner-shop",
        "author": "hanna",
        "tags": ["cities", "housing"],
        "days_ago": 47,
        "custom_excerpt": "",
        "body": """Walk through a residential neighbourhood built before the 1930s in almost any older city and you will find them: a bakery on a corner, a hardware shop with a flat above it, a pub that has been there longer than the street lights. Walk through one built after 1960 and you will mostly find houses. The difference is rarely taste. It is the zoning map.

## How the corner shop became illegal

Separating uses made sense when the neighbour might be a tannery. The early codes that split cities into residential, commercial and industrial districts, the model usually called [Euclidean zoning](https://en.wikipedia.org/wiki/Euclidean_zoning), were a response to genuine nuisances. Over the decades, though, the categories hardened. A rule meant to keep a slaughterhouse away from a school ended up keeping a café away from a cul-de-sac.

Most residential zones today forbid commercial use entirely, or permit it only through a discretionary process that costs more than a small business can spend. So nobody applies, and planners conclude there was no demand.

## What a little mixed use does

A modest allowance for ground-floor shops in residential areas does several things at once:

- It puts daily errands within walking distance, which reduces short car trips more reliably than any campaign asking people to drive less.
- It offers small businesses cheaper premises than a high street can, and cheap premises are where new businesses tend to start.
- It adds *eyes on the street* during the day, when a purely residential block is largely empty.
- It brings back the flat above the shop, a form of housing that most codes also quietly prohibit.

None of this requires a new programme or a subsidy. It requires deleting a restriction.

## The objections are about scale

The neighbours who object are usually not worried about a bakery. They are worried about a late-night takeaway with a queue of delivery scooters outside. That is a reasonable fear, and it can be met with reasonable rules: limits on floor area, on opening hours, on the share of frontage per block. What is not reasonable is a blanket ban that treats a newsagent like a nightclub.

A few cities have started to allow small shops by right on corner plots only, which is a sensible place to begin. The corners were where they stood in the first place.

Our own city's corner-plot rule takes effect this month. What I expect of it, to be checked against the planning register:""",
        "edit": None,
        "comments": [
            {
                "name": "Luis Ferreira",
                "body": "Our council allowed exactly this on corner plots three years ago. Two applications so far. It turns out the flat above the shop interests developers far more than the shop itself.",
            },
            {
                "name": "Ruth",
                "body": "I'm sympathetic, but the 'eyes on the street' argument gets used for everything. A shop that closes at six does little for a street at night, which is when I'd actually want someone watching.",
            },
            {
                "name": "Hanna Veldhuis",
                "body": "That's fair, Ruth. Daytime activity is the main benefit and I leaned on the safety point harder than the evidence allows. The flats above are what provide the evening presence.",
            },
        ],
        "views": 438,
        "predictions": [
            {
                "statement": "At least five applications to open a shop on a corner plot will be filed under the new rule in its first month.",
                "probability": "30%",
                "resolves_in_days": 30,
                "criteria": "Applications listed in the planning register under the corner-plot rule.",
                "resolution": {
                    "outcome": "false",
                    "note": "The register lists two applications for the month.",
                    "days_after": 31,
                },
                "correction": {
                    "outcome": "true",
                    "note": "The register was late: the planning office has since listed six applications filed in the first month.",
                    "days_after": 38,
                    "source": "https://example.org/planning/register",
                    "by": "kofi",
                },
            },
            {
                "statement": "The city will extend the by-right allowance for small shops beyond corner plots.",
                "probability": "20%",
                "resolves_in_days": 700,
            },
        ],
    },
    {
        "title": "The transformer queue",
        "slug": "the-transformer-queue",
        "author": "ines",
        "tags": ["energy"],
        "days_ago": 35,
        "custom_excerpt": "The grid's newest bottleneck is a grey metal box on a pole, and the wait for one is now measured in years.",
        "body": """Most of the debate about the energy transition is about big things: wind farms, nuclear plants, long-distance transmission lines. Meanwhile a much smaller object has become one of its tightest constraints. It is the grey drum on the pole at the end of your street, or the green box on the pavement: the [distribution transformer](https://en.wikipedia.org/wiki/Distribution_transformer).

## Why demand jumped

For decades, utilities replaced transformers at a steady, predictable rate. Housing growth was slow, electricity use per home was flat or falling, and manufacturers sized their factories accordingly. Then several things happened at once. New building picked up in some regions. Homes began adding heat pumps and car chargers, each of which can double a household's peak draw. And storms, along with an ageing fleet, pushed replacement rates up.

A transformer comfortably sized for a street of gas-heated homes can be overloaded once a few of those homes add a fast charger and electric heating. The utility then needs a larger unit, and it needs it *before* the winter peak, not after.

## Why supply cannot simply follow

Transformers are not complicated, but they are heavy, often bespoke, and made from materials with their own bottlenecks, especially the specialised electrical steel in the core. Utilities have traditionally specified their own designs, so manufacturers cannot build ahead of orders. Lead times that used to be a few months have stretched, in the utility and trade-group reports I have seen (https://example.org/grid/transformer-lead-times), to well over a year for some sizes.

A rough picture, pieced together from conversations with procurement staff rather than any official series:

| Unit | Typical lead time, a decade ago | Typical lead time, recently |
|---|---|---|
| Pole-mounted, small | 2-4 months | 12-18 months |
| Pad-mounted, residential | 3-5 months | 18-30 months |
| Substation power transformer | about 1 year | 3-4 years |

Treat these as orders of magnitude. The direction is not in dispute.

## What would help

The least glamorous fix is standardisation. If utilities agreed on a short list of common designs, manufacturers could build to stock and utilities could lend each other spares after storms. The second is better data: a utility that knows which streets are near their limits can order before it is forced to. The third is flexibility on the customer side, so that chargers and heat pumps can be nudged away from the few hours that set the peak.

None of these is exciting. All of them are cheaper than waiting two years for a box.

## What I expect next

Three forecasts, to be graded when the next round of utility and trade-group reports is out.""",
        "edit": None,
        "comments": [
            {
                "name": "Mei-Lin Ho",
                "body": "Do you know whether any utilities are actually pooling spares yet? The standardisation argument makes sense, but I've been hearing it for years.",
            },
            {
                "name": "J. Whitcombe",
                "body": "Small quibble with the table: pad-mounted lead times have come down a little over the past year in my region, though nowhere near where they were. Might be worth a follow-up.",
            },
        ],
        "views": 521,
        "predictions": [
            {
                "statement": "The next quarterly survey of utilities will still put the typical lead time for small pole-mounted transformers above twelve months.",
                "probability": "80%",
                "resolves_in_days": 21,
                "resolution": {
                    "outcome": "true",
                    "note": "The survey's median was fourteen months, down from sixteen.",
                    "days_after": 23,
                    "source": "https://example.org/grid/transformer-lead-times",
                },
            },
            {
                "statement": "At least two regional utilities will announce a shared pool of spare distribution transformers.",
                "probability": "15%",
                "resolves_in_days": 28,
                "resolution": {
                    "outcome": "false",
                    "note": "No pool was announced. One utility said it was in talks with a neighbour, which does not count.",
                    "days_after": 29,
                },
            },
            {
                "statement": "The energy regulator will publish a standard list of distribution transformer designs.",
                "probability": "40%",
                "resolves_in_days": 30,
                "resolution": {
                    "outcome": "void",
                    "note": "The regulator handed the work to a national standards body instead, so the question as written can no longer be judged.",
                    "days_after": 31,
                },
            },
        ],
    },
    {
        "title": "Will anyone use the interoperability they were promised?",
        "slug": "will-anyone-use-interoperability",
        "author": "devika",
        "tags": ["tech-policy", "forecasting"],
        "days_ago": 24,
        "custom_excerpt": "",
        "body": """One of the more ambitious ideas in recent technology regulation is that a dominant messaging service should be required to let people on rival apps message its users. The logic is familiar from telephone networks: if you can call any number from any carrier, carriers have to compete on price and quality rather than on which network your friends happen to use. Europe's [Digital Markets Act](https://en.wikipedia.org/wiki/Digital_Markets_Act) wrote a version of that requirement into law.

The law can require a door to be built. It cannot make anybody walk through it.

## Three reasons for doubt

First, the rival apps have to want it. Connecting to a giant means accepting its technical terms, its security requirements and its timetable. For a small, privacy-focused app, plugging into a far larger network can look less like an opportunity and more like a liability.

Second, users have to notice. Cross-network chats tend to arrive with fewer features, perhaps no reactions or no group calls, and they often sit in a separate, clearly labelled corner of the inbox. Many people will see a warning screen and decide that the old workaround, installing a second app, is easier.

Third, network effects cut both ways. Once everybody you know already has two or three messaging apps, the value of reaching them all from one is real but modest.

## And one reason for hope

Defaults change slowly and then all at once. Email was once a set of walled gardens too. If one mid-sized app makes cross-network messaging seamless and markets it hard, the picture could change quickly.

## The forecast

Since this blog keeps score, here are numbers. The first is the one that matters. The second has a shorter horizon, for readers who would rather not wait a year and more to learn whether I am calibrated.

Twenty-five percent for the first is not a prediction that it will fail. It says I would be mildly surprised if it succeeded on that timeline, and I will be graded on it with a [Brier score](https://en.wikipedia.org/wiki/Brier_score) like every other forecast here.""",
        "edit": None,
        "comments": [
            {
                "name": "Farid Haddad",
                "body": "25% seems high to me. The resolution condition alone makes it unlikely: why would a large service volunteer a number that shows people talking to its competitors?",
            },
            {
                "name": "Devika Sorensen",
                "body": "That's a big part of why it isn't higher! I think the regulator may end up publishing usage figures even if the services don't, which is why either source counts.",
            },
            {
                "name": "Sunniva Berg",
                "body": "Glad to see the short-horizon one. I'd have taken the other side at 35%, though: announcements are cheap.",
            },
            {
                "name": "Tom O'Neill",
                "body": "Genuine question: does a million mean unique people or connected accounts? Some people will link several.",
            },
        ],
        "views": 389,
        "predictions": [
            {
                "statement": "At least one designated messaging service will publicly report a million or more monthly users exchanging messages with a third-party app through the mandated interface.",
                "probability": "25%",
                "resolves_in_days": 560,
                "criteria": "Only a published figure from the service or the regulator counts, not outside estimates.",
            },
            {
                "statement": "A messaging app other than the designated services will announce that it has connected to one of their interfaces.",
                "probability": "35%",
                "resolves_in_days": 14,
                "revised": {"probability": "45%", "days_after": 3},
                "resolution": {
                    "outcome": "true",
                    "note": "A mid-sized European app announced its connection, with a test group of users.",
                    "days_after": 15,
                },
            },
        ],
    },
    {
        "title": "Congestion pricing looks regressive on paper, so look at who drives at rush hour",
        "slug": "congestion-pricing-who-pays",
        "author": "kofi",
        "tags": ["economics", "cities"],
        "days_ago": 16,
        "custom_excerpt": "",
        "body": """The most common objection to charging drivers for entering a congested city centre is that it is unfair to people on low incomes. A flat daily charge takes a bigger bite out of a small income than a large one, the argument goes, and the wealthy will simply pay and enjoy emptier roads. It is a serious objection, and it deserves a serious answer rather than a slogan.

## Who is actually in the traffic

The answer starts with a question the objection skips: who drives into the centre at peak hours? In most large cities with decent public transport, the answer is disproportionately *not* the poor. Lower-income commuters are more likely to take the bus or train, to work outside the centre, or to work shifts that miss the rush. Those who drive into the core at half past eight on a weekday skew towards higher incomes, partly because parking there is so expensive.

A charge that falls mostly on people with above-average incomes is not regressive in practice, whatever it looks like as a formula. That is an empirical claim, and it varies by city, but it is the claim that matters.

## Where the money goes decides the rest

The second half of the answer is what happens to the revenue. A charge whose proceeds vanish into general funds is simply a tax on driving. A charge whose proceeds pay for more frequent buses on the routes that lower-income residents actually use is a transfer from rush-hour drivers to bus riders, and it can be strongly progressive.

Some schemes go further, with discounts for low-income residents, disabled drivers and essential trades. These are worth having, but each one chips away at the congestion benefit, so they should be targeted rather than generous.

## The group that genuinely loses

There is one group for whom the objection holds: lower-income workers who must drive into the centre at peak times because nothing else works, such as early-shift cleaners and care workers whose journeys begin before the first train. They are real, they are usually few, and they can be identified. The right response is to help that group directly, not to abandon a policy that benefits most people on lower incomes.

For background on how different schemes are designed, [the Wikipedia overview of congestion pricing](https://en.wikipedia.org/wiki/Congestion_pricing) is a reasonable start.

## What to watch

The council takes up the scheme within days. Two forecasts, one soon and one a year out.""",
        "edit": {
            "days_after": 2,
            "append": "\n\n**Update:** A reader who works in transport planning points out that the picture differs where public transport into the centre is weak. That is fair. In those cities a larger share of peak-hour drivers have no real alternative, and the case for spending the revenue on buses and trains *before* the charge starts, rather than after, is much stronger.",
        },
        "comments": [
            {
                "name": "Beatriz Santos",
                "body": "I work in transport planning, and the income profile of peak drivers really is the crux. But it depends heavily on the city. Where the rail network into the centre is thin, the profile looks quite different.",
            },
            {
                "name": "Patrick Dunleavy",
                "body": "What about small businesses inside the zone? A plumber can't carry a boiler on the bus.",
            },
            {
                "name": "Kofi Mensah-Adu",
                "body": "Patrick, most schemes treat commercial vehicles separately. Tradespeople also tend to gain more from faster journeys than they lose to the charge, because their time is billed by the hour.\n\nBut it deserves its own post, and I'll try to write one.",
            },
        ],
        "views": 744,
        "predictions": [
            {
                "statement": "The city council will vote to put the congestion charge out to public consultation at its next meeting.",
                "probability": "55%",
                "resolves_in_days": 10,
                "resolution": {
                    "outcome": "true",
                    "note": "Carried by 31 votes to 19, with an amendment to publish the income figures first.",
                    "days_after": 11,
                },
            },
            {
                "statement": "Peak-hour traffic into the centre will be at least 15% lower in the charge's first full year than in the year before it.",
                "probability": "65%",
                "resolves_in_days": 400,
                "criteria": "The city's own cordon counts, weekday mornings from seven to ten.",
            },
        ],
    },
    {
        "title": "Why government software arrives late",
        "slug": "why-government-software-arrives-late",
        "author": "devika",
        "tags": ["tech-policy", "measurement"],
        "days_ago": 10,
        "custom_excerpt": "Most failed public IT projects were doomed in the contract, long before anyone wrote a line of code.",
        "body": """Every few months brings a new story about a public-sector software project that is years late, several times over budget, or both. The usual explanations are incompetent contractors, meddling politicians or outdated technology. All of these play a part, but the pattern is too consistent to blame on individuals. Most of these projects were set up to fail in the procurement documents.

## The shape of a doomed contract

A typical large project starts with a requirements document, often hundreds of pages long, written before anyone has built anything or spoken to many of the people who will use it. The document goes out to tender, the winning bid is usually the one that promises every requirement at the lowest price, and a fixed-price contract is signed for delivery several years out.

Each of those steps sounds prudent. Together they guarantee trouble:

1. The requirements are mostly guesses, because nobody yet knows what the system needs to do in practice.
2. The bidder most optimistic about those guesses wins, which selects for underestimation.
3. Every later discovery becomes a *change request*, priced at a premium because the contractor no longer faces competition.
4. Nothing usable reaches real users until the end, so the guesses are not tested until they are expensive to fix.

## A different shape

The alternative is not exotic. Governments that have improved at this tend to do a few things: keep a small in-house team that understands the service, buy work in short increments rather than one enormous contract, and put something simple in front of real users within months.

> The most expensive line in a public IT contract is the one that says what the system will do in five years' time.

That line comes from a retired civil servant I spoke to for this piece, who spent a decade cleaning up after contracts of exactly this kind. Her point was not that planning is bad, but that a contract freezes a plan at the moment when the least is known.

## Why it persists

The old shape survives because it looks accountable. A fixed price and a detailed specification give a minister something to point to. Incremental delivery asks for trust in a team rather than a document, and that is politically harder to defend, right up until the fixed-price project fails.

Procurement rules (https://en.wikipedia.org/wiki/Government_procurement) were written to prevent favouritism and waste, and they do that reasonably well for buying paper and vehicles. Software is not paper.

## Forecasts

Three, to be graded here. Two will be known within days.""",
        "edit": None,
        "comments": [
            {
                "name": "Anneke",
                "body": "I've been on both sides of these contracts and agree with almost all of it, but the in-house team is the hard part. Public pay scales make it very difficult to hire and keep senior engineers.\n\nIncremental contracts without people inside who can judge the work just produce lots of small failures instead of one big one.",
            },
            {
                "name": "Yusuf A.",
                "body": "Is there any good comparative data on this? Everyone has anecdotes about failed projects. I'd love to see success rates broken down by contract type.",
            },
        ],
        "views": 256,
        "predictions": [
            {
                "statement": "The replacement benefits system will miss the go-live date the department announced in the spring.",
                "probability": "95%",
                "resolves_in_days": 7,
                "resolution": {
                    "outcome": "true",
                    "note": "The department moved go-live back by six months, citing testing.",
                    "days_after": 8,
                },
            },
            {
                "statement": "The audit office's annual report will rate at least three of the government's major IT projects red.",
                "probability": "75%",
                "resolves_in_days": 5,
                "resolution": {
                    "outcome": "false",
                    "note": "It rated two red and moved a third to amber.",
                    "days_after": 6,
                    "source": "https://example.org/audit/major-projects",
                },
            },
            {
                "statement": "The government will publish procurement guidance that allows software to be bought in short increments rather than one fixed-price contract.",
                "probability": "45%",
                "resolves_in_days": 200,
            },
        ],
    },
    {
        "title": "Paying people not to use power",
        "slug": "paying-people-not-to-use-power",
        "author": "ines",
        "tags": ["energy", "economics"],
        "days_ago": 5,
        "custom_excerpt": "",
        "body": """On the hottest afternoons of the year, the electricity system faces a choice. It can run its most expensive, least efficient power plants for a few hours, or it can pay some customers to use less. The second option, usually called [demand response](https://en.wikipedia.org/wiki/Demand_response), has existed for decades. It is finally starting to matter at scale, and the reason is mostly the number of devices in homes that can be asked to wait.

## The economics of the peak

Peak capacity is expensive because it is rarely used. A gas turbine built to cover the top fifty hours of demand has to recover its entire capital cost from those hours. Spread across so little output, each kilowatt-hour it produces can cost many times the average.

A back-of-the-envelope comparison makes the point. The figures are illustrative, not taken from any particular market:

```text
peaking plant:    annualised cost   ~ 90 per kW-year
                  hours used        ~ 50 per year
                  cost per kWh      ~ 90 / 50 = 1.80

demand response:  payment to homes  ~ 30 per kW-year
                  (no plant built)
```

If a thousand homes can each shift one kilowatt for a few hours, that is a megawatt of capacity the system does not need to build, at roughly a third of the price.

## Why it is getting easier

The old version of demand response meant phoning a factory and asking it to pause a production line. The new version is a thermostat that pre-cools a house before the peak, a car charger that waits an hour, a water heater that heats at noon instead of at six. None of these changes is noticeable to the household, *provided* the controls are well designed and easy to override.

## What could go wrong

Two things. First, if every device responds to the same price signal at the same moment, the peak simply moves: a thousand chargers that all resume at nine in the evening create a brand-new peak. Good schemes stagger the response. Second, trust. One badly handled heatwave, with homes left uncomfortably warm, can set a programme back years. The override button matters more than the algorithm.

## Forecasts for the summer

Both are about whether households will actually take part.""",
        "edit": None,
        "comments": [
            {
                "name": "Claire M.",
                "body": "The override point is spot on. We joined a thermostat programme last summer and dropped out after one weekend when the house hit 29 degrees during a family lunch.",
            },
            {
                "name": "Kwame",
                "body": "Your illustrative payment of 30 per kW-year looks generous next to what I've seen offered to households. Is most of the value going to the aggregator?",
            },
        ],
        "views": 131,
        "predictions": [
            {
                "statement": "More than 50,000 homes will have enrolled in the grid operator's summer demand-response programme when its sign-up window closes.",
                "probability": "50%",
                "resolves_in_days": 3,
                "criteria": "The enrolment figure the operator publishes after the window closes.",
            },
            {
                "statement": "The grid operator will call at least one demand-response event for households during next summer's hot spells.",
                "probability": "90%",
                "resolves_in_days": 250,
            },
        ],
    },
    {
        "title": "Shade",
        "slug": "shade",
        "author": "hanna",
        "tags": ["cities"],
        "days_ago": 1,
        "custom_excerpt": "",
        "body": """There is a bus stop near my flat that nobody uses between noon and four in the afternoon in July. People wait instead in the thin strip of shadow cast by a lamp post twenty metres away, leaning out to see whether the bus is coming. The stop has a shelter, but the shelter is a glass box facing south. It keeps off the rain beautifully.

Shade is one of those things a city only notices when it is missing. Streets are planned for traffic, drainage, parking and lighting, each with its own standards and its own department. Shade usually belongs to nobody. It appears as a by-product of trees planted for other reasons, of buildings that happen to be tall enough, of awnings put up by shopkeepers protecting their window displays.

That worked tolerably when summers were milder. It works less well now. The [urban heat island](https://en.wikipedia.org/wiki/Urban_heat_island) effect means dense, paved neighbourhoods can stay several degrees warmer than their surroundings well into the night, and the people who spend the most time outdoors in them (bus riders, delivery workers, children walking to school, older people without air conditioning) are rarely the people who design streets.

A few ideas that cost less than they sound:

*Treat shade as infrastructure with a standard.* If a city can specify minimum lighting levels on a footpath, it can specify a minimum share of a walking route that is shaded at three in the afternoon in midsummer. Measure it once and the gaps become obvious.

*Plant for the canopy, not the ribbon-cutting.* Young street trees die at depressing rates when nobody is paid to water them through their first few summers. A smaller planting with a maintenance budget beats a large one with none.

*Fix the shelters.* Orientation, a solid roof and a generous overhang cost almost nothing at the design stage and a great deal to retrofit.

None of this will make the headlines that a new tram line does. But the tram line will be used more if people can stand at the stop without wilting. I have started a small map of the shadiest and least shady stops on my own routes (https://example.org/maps/shade-audit), and I would be glad to hear of similar efforts elsewhere.

Two forecasts, one of them more hope than expectation:""",
        "edit": None,
        "comments": [],
        "views": 23,
        "predictions": [
            {
                "statement": "The transport authority will announce a new bus shelter design with a solid roof before next summer.",
                "probability": "25%",
                "resolves_in_days": 200,
            },
            {
                "statement": "The city will adopt a minimum standard for shade on its main walking routes.",
                "probability": "10%",
                "resolves_in_days": 1000,
            },
        ],
    },
]

# Posts still in the studio: one submitted for review, one scheduled, one draft.
STUDIO_EXAMPLES: list[StudioExampleSpec] = [
    {
        "title": "What a streetlight budget tells you",
        "author": "devika",
        "status": "review",
        "tags": ["cities"],
        "body": "A contributor's draft, submitted for review.\n\nLighting is the one line of a "
        "city budget that every resident sees at night, and the one that says most about "
        "maintenance: a new lamp is a ribbon cutting, a replaced one is nobody's story.",
    },
    {
        "title": "Forecast review: the second quarter",
        "author": "hanna",
        "status": "scheduled",
        "in_days": 3,
        "tags": ["forecasting"],
        "body": "Scheduled to go out on its own.\n\nEvery quarter I grade last quarter's "
        "calls. This time: three right, one wrong, one still open.",
    },
    {
        "title": "Notes on grid batteries",
        "author": "ines",
        "status": "draft",
        "tags": ["energy"],
        "body": "An unfinished draft.\n\n- Storage hours versus storage power\n"
        "- Where the money comes from\n- Why the second battery is cheaper than the first",
    },
]

PAGES: list[dict[str, str]] = [
    {
        "title": "About",
        "slug": "about",
        "status": "published",
        "seo_description": "Who writes here and why.",
        "body": "This is a demonstration site: four writers with their own beats, writing "
        "analysis that takes its time.\n\nEverything here can be changed in the studio at "
        "[/studio/](/studio/).",
    },
    {
        "title": "Contact",
        "slug": "contact",
        "status": "published",
        "seo_description": "How to reach the writers.",
        "body": "Write to the editors at editors@example.com. Corrections are welcome and "
        "are noted at the end of the post they concern.",
    },
]
