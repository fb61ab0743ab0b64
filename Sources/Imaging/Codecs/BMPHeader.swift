/// What the file header, info header, colour masks and palette of a BMP say,
/// read with the same rules as Pillow's BmpImagePlugin (so that the same
/// files are accepted and the same quirks apply).
struct BMPHeader {
    enum Compression: Int { case none = 0, rle8 = 1, rle4 = 2, bitfields = 3 }

    let width: Int
    let height: Int
    /// Rows are stored top row first (negative height in the file).
    let topDown: Bool
    let bitsPerPixel: Int
    let compression: Compression
    /// Where the pixel data starts, from the start of the file.
    let pixelOffset: Int
    /// Colour masks for BITFIELDS images: (red, green, blue).
    let masks: (r: UInt32, g: UInt32, b: UInt32)
    /// Palette images: RGB for every possible index (256 entries, or 2/16 for
    /// fewer bits). Gray palettes follow Pillow, which discards them and reads
    /// the index as the gray level itself ("L"/"1" modes).
    let palette: [(UInt8, UInt8, UInt8)]
    /// Pillow threw the palette away because it was a plain gray ramp.
    let paletteIsGray: Bool

    init(_ b: [UInt8], name: String) throws {
        func le16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func le32(_ i: Int) -> UInt32 { UInt32(le16(i)) | UInt32(le16(i + 2)) << 16 }
        guard b.count >= 18 else { throw ImageError.truncated(name: name) }
        var offset = Int(le32(10))
        let headerSize = Int(le32(14))
        guard [12, 40, 52, 56, 64, 108, 124].contains(headerSize) else {
            throw ImageError.corrupt(name: name, reason: "unsupported BMP header type (\(headerSize))")
        }
        guard b.count >= 14 + headerSize else { throw ImageError.truncated(name: name) }
        var cursor = 14 + headerSize  // where the palette (or 40-byte header's masks) follows
        var colors = 0
        let paletteEntryBytes: Int
        var compressionCode = 0
        var masks: (UInt32, UInt32, UInt32) = (0, 0, 0)
        if headerSize == 12 {
            // OS/2 1.x / BITMAPCOREHEADER: 16-bit unsigned sizes, always bottom-up, BGR palette.
            width = le16(18); height = le16(20); topDown = false
            bitsPerPixel = le16(24)
            paletteEntryBytes = 3
        } else {
            // A height whose top byte is 0xFF is a negative (top-down) height.
            topDown = b[25] == 0xFF
            width = Int(le32(18))
            height = topDown ? Int((1 << 32) - UInt64(le32(22))) : Int(le32(22))
            bitsPerPixel = le16(28)
            compressionCode = Int(le32(30))
            colors = Int(le32(46))
            paletteEntryBytes = 4
            if compressionCode == Compression.bitfields.rawValue {
                // Larger headers carry the masks inside; a 40-byte one is followed by them.
                let at = 14 + 40
                if headerSize == 40 { cursor += 12 }
                guard b.count >= at + 12 else { throw ImageError.truncated(name: name) }
                masks = (le32(at), le32(at + 4), le32(at + 8))
            }
        }
        guard let compression = Compression(rawValue: compressionCode) else {
            throw ImageError.corrupt(name: name, reason: "unsupported BMP compression (\(compressionCode))")
        }
        self.compression = compression
        self.masks = masks
        guard [1, 4, 8, 16, 24, 32].contains(bitsPerPixel) else {
            throw ImageError.corrupt(name: name, reason: "unsupported BMP pixel depth (\(bitsPerPixel))")
        }
        if colors == 0 { colors = 1 << bitsPerPixel }
        // Some writers point the data offset just past the header, forgetting the palette.
        if offset == 14 + headerSize && bitsPerPixel <= 8 { offset += paletteEntryBytes * colors }
        pixelOffset = offset

        var palette: [(UInt8, UInt8, UInt8)] = []
        var gray = false
        if bitsPerPixel <= 8 {
            // Pillow fails on bigger palettes too (its gray test cannot handle values > 255).
            guard colors > 0, colors <= 256 else {
                throw ImageError.corrupt(name: name, reason: "unsupported BMP palette size (\(colors))")
            }
            let end = min(b.count, cursor + paletteEntryBytes * colors)
            let stored = max(0, end - cursor) / paletteEntryBytes  // a cut file may hold fewer entries
            palette = (0..<stored).map { i in
                let p = cursor + i * paletteEntryBytes
                return (b[p + 2], b[p + 1], b[p])
            }
            let levels: [Int] = colors == 2 ? [0, 255] : Array(0..<colors)
            gray = stored == colors && levels.enumerated().allSatisfy { i, v in
                palette[i] == (UInt8(v), UInt8(v), UInt8(v))
            }
            palette += Array(repeating: (0, 0, 0), count: 256 - palette.count)  // unlisted indices are black
        }
        self.palette = palette
        paletteIsGray = gray
    }
}
