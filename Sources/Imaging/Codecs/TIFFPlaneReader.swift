import CTIFF

/// Reads the decoded (decompressed, predictor undone) sample bytes of a TIFF
/// image, one buffer per plane, whether the file is stored in strips or tiles.
///
/// Rows of the result are `layout.planeRowBytes` long with no padding, which
/// is the layout libtiff itself uses for strips, so strips are decoded
/// straight into place; tiles are decoded into a scratch tile and copied.
enum TIFFPlaneReader {
    /// Thrown when libtiff fails; the caller turns it into an `ImageError`
    /// using the message the error handler captured.
    struct Failure: Error {}

    /// Fails when a strip or tile lies (partly) past the end of the file:
    /// checked before any pixel memory is allocated, so that a cut file or a
    /// forged directory costs nothing.
    static func checkStrilesInside(_ tif: OpaquePointer, fileSize: Int) throws {
        for strile in 0..<TIFFNumberOfStrips(tif) {
            var err: Int32 = 0
            let offset = TIFFGetStrileOffsetWithErr(tif, strile, &err)
            let count = TIFFGetStrileByteCountWithErr(tif, strile, &err)
            if err != 0 { throw Failure() }
            // Zero-length striles are "absent" (sparse files); libtiff handles those itself.
            if count > 0 && (offset > UInt64(fileSize) || count > UInt64(fileSize) - offset) {
                throw OutsideFile()
            }
        }
    }

    /// A strip or tile extends past the end of the data.
    struct OutsideFile: Error {}

    /// The directory describes something we refuse to read.
    struct Invalid: Error { let reason: String }

    static func readPlanes(_ tif: OpaquePointer, _ layout: TIFFLayout) throws -> [[UInt8]] {
        try (0..<layout.planeCount).map { plane in
            var buffer = [UInt8](repeating: 0, count: layout.planeRowBytes * layout.height)
            try buffer.withUnsafeMutableBytes { dst in
                if let tile = layout.tile {
                    try readTiles(tif, layout, plane: plane, tile: tile, into: dst)
                } else {
                    try readStrips(tif, layout, plane: plane, into: dst)
                }
            }
            return buffer
        }
    }

    private static func readStrips(_ tif: OpaquePointer, _ layout: TIFFLayout, plane: Int,
                                   into dst: UnsafeMutableRawBufferPointer) throws {
        let rowBytes = layout.planeRowBytes
        let rowsPerStrip = max(1, min(layout.rowsPerStrip, layout.height))
        let stripsPerPlane = (layout.height + rowsPerStrip - 1) / rowsPerStrip
        for s in 0..<stripsPerPlane {
            let rows = min(rowsPerStrip, layout.height - s * rowsPerStrip)
            let want = rows * rowBytes
            let strip = UInt32(plane * stripsPerPlane + s)
            let got = TIFFReadEncodedStrip(tif, strip, dst.baseAddress! + s * rowsPerStrip * rowBytes, tmsize_t(want))
            // A short strip means the file ran out or lied about its size.
            if got < tmsize_t(want) { throw Failure() }
        }
    }

    private static func readTiles(_ tif: OpaquePointer, _ layout: TIFFLayout, plane: Int,
                                  tile: (width: Int, height: Int), into dst: UnsafeMutableRawBufferPointer) throws {
        guard tile.width > 0, tile.height > 0 else { throw Failure() }
        let tileSize = Int(TIFFTileSize(tif))
        let tileRowBytes = (tile.width * layout.samplesPerPlane * layout.bitsPerSample + 7) / 8
        guard tileSize >= tileRowBytes * tile.height else { throw Failure() }
        // A forged tile size must not make us reserve gigabytes for a small image.
        guard tileSize <= max(64 << 20, 4 * layout.planeRowBytes * layout.height) else {
            throw Invalid(reason: "tile size \(tile.width)x\(tile.height) is implausible for a \(layout.width)x\(layout.height) image")
        }
        var scratch = [UInt8](repeating: 0, count: tileSize)
        let bitsPerPixel = layout.samplesPerPlane * layout.bitsPerSample
        try scratch.withUnsafeMutableBytes { buf in
            for ty in stride(from: 0, to: layout.height, by: tile.height) {
                for tx in stride(from: 0, to: layout.width, by: tile.width) {
                    let index = TIFFComputeTile(tif, UInt32(tx), UInt32(ty), 0, UInt16(plane))
                    if TIFFReadEncodedTile(tif, index, buf.baseAddress!, tmsize_t(tileSize)) < 0 { throw Failure() }
                    // Tile widths are multiples of 16, so every tile starts on a byte.
                    let start = tx * bitsPerPixel / 8
                    // Clamped: a (non-conforming) tile width that is not a multiple of 8 pixels
                    // must never let the copy run past the row, or past the buffer on the last row.
                    let count = min((min(tile.width, layout.width - tx) * bitsPerPixel + 7) / 8,
                                    layout.planeRowBytes - start)
                    for r in 0..<min(tile.height, layout.height - ty) {
                        (dst.baseAddress! + (ty + r) * layout.planeRowBytes + start)
                            .copyMemory(from: buf.baseAddress! + r * tileRowBytes, byteCount: count)
                    }
                }
            }
        }
    }
}
