"""What an import did: per kind, how many were imported, updated, unchanged or matched,
every skip with its reason, and notes (an address that was taken, a text cut short)."""

from collections import Counter
from dataclasses import dataclass, field

KINDS = ("posts", "pages", "comments", "tags", "authors", "media")
OUTCOMES = ("imported", "updated", "unchanged", "matched")


@dataclass
class Report:
    dry_run: bool = False
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    # (kind or "" when the reader left it out, what, why)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += n

    def skip(self, kind: str, what: str, reason: str) -> None:
        self.skipped.append((kind, what, reason))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def total(self, kind: str, outcome: str) -> int:
        return self.counts.get(kind, Counter())[outcome]

    def as_dict(self) -> dict:
        """For the studio's job row (JSON)."""
        return {
            "dry_run": self.dry_run,
            "counts": {kind: dict(counter) for kind, counter in self.counts.items()},
            "skipped": [list(s) for s in self.skipped],
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        return cls(
            dry_run=data.get("dry_run", False),
            counts={kind: Counter(c) for kind, c in data.get("counts", {}).items()},
            skipped=[tuple(s) for s in data.get("skipped", [])],  # type: ignore[misc]
            notes=list(data.get("notes", [])),
        )

    def kinds(self) -> list[str]:
        """The kinds counted, in the order people expect (posts first)."""
        return [
            kind for kind in [*KINDS, *sorted(set(self.counts) - set(KINDS))] if kind in self.counts
        ]

    def table(self) -> tuple[list[str], list[tuple[str, list[int]]]]:
        """The counts as the studio's table: the outcomes that happened (columns), and a
        row of numbers per kind."""
        seen = {outcome for counter in self.counts.values() for outcome in counter}
        columns = [o for o in OUTCOMES if o in seen] + sorted(seen - set(OUTCOMES))
        rows = [(kind, [self.counts[kind][o] for o in columns]) for kind in self.kinds()]
        return columns, rows

    def lines(self) -> list[str]:
        """The report as a person reads it, in the terminal or on the studio page."""
        out = ["Dry run: nothing was written." if self.dry_run else "Import finished."]
        for kind in self.kinds():
            counter = self.counts[kind]
            if counter:
                parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counter.items()))
                out.append(f"{kind}: {parts}")
        if self.skipped:
            out.append(f"skipped ({len(self.skipped)}):")
            out += [
                f"  {kind + ': ' if kind else ''}{what}: {why}" for kind, what, why in self.skipped
            ]
        if self.notes:
            out.append("notes:")
            out += [f"  {note}" for note in self.notes]
        return out
