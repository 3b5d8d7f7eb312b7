"""默克尔树 — an RFC 6962 Merkle tree over the audit chain's leaves, for inclusion proofs.

The leaves are the chain's leaf hashes (`chain.leaf_hash`), in notification order: they already
are RFC 6962 leaf hashes, SHA-256 over 0x00 and the stored record. Interior nodes are
SHA-256(0x01 ‖ left ‖ right), and the tree of n leaves splits at the largest power of two below
n (RFC 6962 §2.1, RFC 9162 §2.1.1). A signed checkpoint carries the root of the tree over the
events it covers, so one event can be shown to be in the log with about log2(n) hashes, without
the rest of the log.

`TreeBuilder` computes a root in one pass with O(log n) memory; `ProofCollector` does the same
and keeps what the inclusion proofs of chosen leaves need; `verify_inclusion` is RFC 9162
§2.1.3.2, the only check a dossier's reader runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import sha256

EMPTY_ROOT = sha256(b"").digest()
Range = tuple[int, int]


def node(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


def root_of(leaves: list[bytes]) -> bytes:
    """The root by the definition (recursive); for small trees and tests."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node(root_of(leaves[:k]), root_of(leaves[k:]))


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _fold(hashes: list[bytes]) -> bytes:
    """Aligned subtrees of decreasing size, left to right, folded into their tree's root."""
    result = hashes[-1]
    for h in reversed(hashes[:-1]):
        result = node(h, result)
    return result


def chunks(lo: int, hi: int) -> list[Range]:
    """[lo, hi) as aligned power-of-two subtrees of decreasing size."""
    out = []
    while lo < hi:
        size = lo & -lo if lo else 1 << ((hi - lo).bit_length() - 1)
        while lo + size > hi:
            size >>= 1
        out.append((lo, lo + size))
        lo += size
    return out


def path_ranges(index: int, size: int) -> list[Range]:
    """The leaf ranges whose roots make the inclusion proof of `index`, bottom first."""
    ranges: list[Range] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    return ranges[::-1]


class TreeBuilder:
    """Leaves appended one at a time; `root` at any moment. Keeps one hash per set bit of n."""

    def __init__(self) -> None:
        self.size = 0
        self.stack: list[tuple[int, bytes]] = []  # (start index, hash), sizes decreasing

    def append(self, leaf: bytes) -> None:
        stack = self.stack
        stack.append((self.size, leaf))
        self.size = n = self.size + 1
        height = 0
        while not n & 1:
            start, right = stack.pop()
            start, left = stack.pop()
            stack.append((start, node(left, right)))
            height += 1
            n >>= 1
            self._formed(start, start + (1 << height), stack[-1][1])

    def _formed(self, lo: int, hi: int, digest: bytes) -> None:
        """A complete subtree [lo, hi) was just computed (subclasses keep some)."""

    def root(self) -> bytes:
        return _fold([h for _, h in self.stack]) if self.stack else EMPTY_ROOT


class ProofCollector(TreeBuilder):
    """A tree of a known final `size`, keeping what the proofs of the leaves `want`ed need.

    The left siblings of a leaf are the subtrees on the stack when it arrives; the right ones
    form later and are kept as they form.
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self.final_size = size
        self.kept: dict[Range, bytes] = {}
        self.needed: set[Range] = set()
        self.wanted: list[int] = []

    def add(self, leaf: bytes, want: bool = False) -> None:
        index = self.size
        if want:
            self.wanted.append(index)
            starts = [s for s, _ in self.stack] + [index]
            for (start, digest), end in zip(self.stack, starts[1:], strict=True):
                self.kept[(start, end)] = digest
            for lo, hi in path_ranges(index, self.final_size):
                if lo > index:
                    self.needed.update(chunks(lo, hi))
        self.append(leaf)
        if (index, index + 1) in self.needed:
            self.kept[(index, index + 1)] = leaf

    def _formed(self, lo: int, hi: int, digest: bytes) -> None:
        if (lo, hi) in self.needed:
            self.kept[(lo, hi)] = digest

    def proof(self, index: int) -> list[bytes]:
        """The inclusion proof of a wanted leaf; call once all `final_size` leaves are in."""
        if self.size != self.final_size:
            raise ValueError(f"the tree has {self.size} leaves, not {self.final_size}")
        return [_fold([self.kept[c] for c in chunks(lo, hi)])
                for lo, hi in path_ranges(index, self.final_size)]


def build_root(leaves: Iterable[bytes]) -> bytes:
    tree = TreeBuilder()
    for leaf in leaves:
        tree.append(leaf)
    return tree.root()


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does `proof` show `leaf` at `index` in the tree of `size` with `root`?"""
    if index < 0 or index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root
