"""Resolving requested collections and their dependencies to one version each.

A depth-first search with backtracking: take the first collection that has
requirements but no chosen version, try its candidates in preference order, add the
chosen candidate's dependencies as new requirements, and go back when a choice leaves
some collection without an acceptable candidate.  The first complete choice wins
(requirements are few; Galaxy's collections rarely need deep backtracking).
"""
from __future__ import annotations

from dataclasses import dataclass

from corral_cli_galaxy.candidates import Candidate, CandidateFinder
from corral_cli_galaxy.requirements import CollectionRequirement, collection_requirement

__all__ = ["ResolutionError", "resolve"]

#: (requirement, the candidate that brought it in; None for a direct request)
_Need = tuple[CollectionRequirement, "Candidate | None"]


class ResolutionError(Exception):
    """No set of versions satisfies every requirement; the message lists them."""


@dataclass
class _Failure:
    """Why ``fqcn`` got no version: its requirements as ``(text, parent)``, and the
    one concrete candidate that was offered but did not satisfy them all."""

    fqcn: str
    needs: list[tuple[str, Candidate | None]]
    rejected: Candidate | None

    def message(self) -> str:
        head = "Failed to resolve the requested dependencies map."
        if self.rejected is not None:
            parent = self.needs[0][1] if self.needs else None
            how = "direct request" if parent is None else f"dependency of {parent.label()}"
            lines = [f"* {text}" for text, _ in self.needs]
            return (f"{head} Got the candidate {self.rejected.label()} ({how}) which didn't satisfy all of the "
                    f"following requirements:\n" + "\n".join(lines))
        lines = [f"* {text} (" + ("direct request" if parent is None else f"dependency of {parent.label()}") + ")"
                 for text, parent in self.needs]
        return f"{head} Could not satisfy the following requirements:\n" + "\n".join(lines)


def _fqcn(requirement: CollectionRequirement, finder: CandidateFinder) -> list[str]:
    if requirement.concrete:
        return [candidate.fqcn for candidate in finder.concrete(requirement)]
    return [requirement.name]


def resolve(requests: list[CollectionRequirement], finder: CandidateFinder, *, with_deps: bool = True
            ) -> list[Candidate]:
    """One candidate per collection for ``requests`` and (``with_deps``) their
    dependencies, in the order they were reached (direct requests first); raises
    :class:`ResolutionError` when no choice satisfies every requirement."""
    needs: dict[str, list[_Need]] = {}
    for request in requests:
        if request.concrete:
            for candidate in finder.concrete(request):
                needs.setdefault(candidate.fqcn, []).append((request, None))
        else:
            needs.setdefault(request.name, []).append((request, None))
    failures: list[_Failure] = []

    def describe(requirement: CollectionRequirement, fqcn: str) -> str:
        """A requirement's version as ansible-galaxy names it (an artifact's own version)."""
        if requirement.concrete:
            return next((c.version for c in finder.concrete(requirement) if c.fqcn == fqcn), requirement.version)
        return requirement.version

    def options(fqcn: str, wanted: list[_Need]) -> list[Candidate]:
        concrete = [req for req, _ in wanted if req.concrete]
        if concrete:
            pool = [c for req in dict.fromkeys(concrete) for c in finder.concrete(req) if c.fqcn == fqcn]
        else:
            pool = finder.galaxy(fqcn, [req for req, _ in wanted])
        return pool

    def search(chosen: dict[str, Candidate], wanted: dict[str, list[_Need]]) -> dict[str, Candidate] | None:
        pending = [fqcn for fqcn in wanted if fqcn not in chosen]
        if not pending:
            return chosen
        fqcn = pending[0]
        pool = options(fqcn, wanted[fqcn])
        for candidate in pool:
            if not all(finder.satisfies(candidate, req) for req, _ in wanted[fqcn]):
                continue
            grown = {name: list(items) for name, items in wanted.items()}
            if with_deps:
                for dep_name, constraint in finder.dependencies(candidate).items():
                    dependency = collection_requirement(dep_name, constraint)
                    for name in _fqcn(dependency, finder):
                        grown.setdefault(name, []).append((dependency, candidate))
            if any(name in chosen and not all(finder.satisfies(chosen[name], req) for req, _ in grown[name])
                   for name in grown):
                continue
            result = search({**chosen, fqcn: candidate}, grown)
            if result is not None:
                return result
        concrete = [c for c in pool if c.kind not in ("galaxy", "installed")]
        texts = [(f"{fqcn}:{describe(req, fqcn)}", parent) for req, parent in wanted[fqcn]]
        failures.append(_Failure(fqcn, texts, concrete[0] if concrete and len(wanted[fqcn]) > 1 else None))
        return None

    result = search({}, needs)
    if result is None:
        raise ResolutionError(failures[0].message())
    return list(result.values())
