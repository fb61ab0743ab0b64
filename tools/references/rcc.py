"""Reader for Qt binary resource archives (`.rcc`, the `qres` format), enough to list and extract
the files in them. Used to take GCompris' photographs (WebP inside `.rcc`) as reference images.

Layout (all integers big-endian): "qres", u32 version, u32 tree offset, u32 data offset,
u32 names offset, and from version 3 a u32 flags word. The tree is an array of fixed-size nodes
(14 bytes, 22 from version 2 which adds a u64 modification time): u32 name offset, u16 flags
(1 = zlib, 2 = directory, 4 = zstd), then for a directory u32 child count + u32 first child index,
for a file u16 country + u16 language + u32 data offset. A name is u16 length, u32 hash, UTF-16BE.
A file's data is u32 length + bytes; zlib data starts with a u32 uncompressed length.
"""
import struct
import zlib


class RCCError(Exception):
    pass


class RCCArchive:
    def __init__(self, data: bytes):
        if len(data) < 20 or data[:4] != b"qres":
            raise RCCError("not a Qt resource archive (no 'qres' magic)")
        self.data = data
        self.version, self.tree, self.payload, self.names = struct.unpack(">IIII", data[4:20])
        if self.version not in (1, 2, 3):
            raise RCCError(f"unsupported rcc version {self.version}")
        self.node_size = 14 if self.version == 1 else 22
        for what, off in (("tree", self.tree), ("data", self.payload), ("names", self.names)):
            if off >= len(data):
                raise RCCError(f"{what} offset {off} is past the end ({len(data)} bytes)")

    def _u16(self, off):
        return struct.unpack(">H", self._slice(off, 2))[0]

    def _u32(self, off):
        return struct.unpack(">I", self._slice(off, 4))[0]

    def _slice(self, off, n):
        if off < 0 or off + n > len(self.data):
            raise RCCError(f"read of {n} bytes at {off} is past the end")
        return self.data[off:off + n]

    def _name(self, name_off):
        base = self.names + name_off
        length = self._u16(base)
        return self._slice(base + 6, 2 * length).decode("utf-16-be")

    def _node(self, index):
        off = self.tree + index * self.node_size
        name_off = self._u32(off)
        flags = self._u16(off + 4)
        return off, name_off, flags

    def files(self):
        """Yields (path, bytes) for every file, depth first, iteratively (no recursion)."""
        stack = [(0, "")]
        seen = set()
        while stack:
            index, prefix = stack.pop()
            if index in seen:
                raise RCCError(f"tree node {index} is reached twice (a cycle)")
            seen.add(index)
            off, name_off, flags = self._node(index)
            name = "" if index == 0 else self._name(name_off)
            path = f"{prefix}/{name}" if prefix or index else ""
            if flags & 2:
                count, first = self._u32(off + 6), self._u32(off + 10)
                if count > 1_000_000:
                    raise RCCError(f"directory {path or '/'} claims {count} children")
                for child in range(first + count - 1, first - 1, -1):
                    stack.append((child, path))
            else:
                data_off = self.payload + self._u32(off + 10)
                length = self._u32(data_off)
                blob = self._slice(data_off + 4, length)
                if flags & 1:
                    blob = zlib.decompress(blob[4:])
                elif flags & 4:
                    raise RCCError(f"{path}: zstd-compressed entries are not supported")
                yield path.lstrip("/"), blob
