import Foundation

/// Windows/OS2 bitmap decoding, written here (no library): 1/4/8-bit palette,
/// 16-bit 5-5-5 and 5-6-5, 24-bit, 32-bit (any byte-aligned BITFIELDS
/// layout; alpha dropped), RLE8 and RLE4, bottom-up and top-down, matching
/// Pillow's `Image.open(f).convert("RGB")` pixel for pixel.
enum BMPDecoder {
    static func decode(_ data: Data, name: String, maxPixels: Int) throws -> RGBImage {
        let bytes = [UInt8](data)
        let header = try BMPHeader(bytes, name: name)
        let w = header.width, h = header.height
        guard w > 0, h > 0 else { throw ImageError.corrupt(name: name, reason: "zero image size") }
        let runLength = header.compression == .rle8 || header.compression == .rle4
        // Run-length data becomes one index byte per pixel before the RGB result.
        try DecodeCost.check(width: w, height: h, codecBytesPerPixel: runLength ? 1 : 0, maxPixels: maxPixels, name: name)
        guard header.pixelOffset <= bytes.count else { throw ImageError.truncated(name: name) }

        if runLength {
            // RLE codes palette indices; with 16/24/32 bits there is no palette to index
            // (Pillow: "unknown raw mode for given image mode"), so such files are refused.
            guard header.bitsPerPixel <= 8 else {
                throw ImageError.corrupt(name: name, reason: "\(header.compression == .rle8 ? "RLE8" : "RLE4") compression "
                                         + "with \(header.bitsPerPixel) bits per pixel (run-length BMPs are palette images)")
            }
            let indices = try BMPRunLength.decode(bytes, from: header.pixelOffset, width: w, height: h,
                                                  fourBit: header.compression == .rle4, name: name)
            // Pillow hands RLE output to its raw "L" unpacker when the palette
            // is gray, so the index itself is the level then.
            let table = header.paletteIsGray ? (0..<256).map { (UInt8($0), UInt8($0), UInt8($0)) } : header.palette
            var out = RGBImage(width: w, height: h)
            // Every index is < 256 and the table has 256 entries (unlisted ones are black).
            for row in 0..<h {
                let y = header.topDown ? row : h - 1 - row
                for x in 0..<w { out[x, y] = table[Int(indices[row * w + x])] }
            }
            return out
        }

        let pixel = try unpacker(header, name: name)
        // Rows are padded to 4 bytes; only the last row's padding may be missing.
        let stride = ((w * header.bitsPerPixel + 31) >> 3) & ~3
        let rowBytes = (w * header.bitsPerPixel + 7) / 8
        guard header.pixelOffset + (h - 1) * stride + rowBytes <= bytes.count else {
            throw ImageError.truncated(name: name)
        }
        var out = RGBImage(width: w, height: h)
        bytes.withUnsafeBufferPointer { src in
            // The guard above proved every row read below lies inside `bytes`.
            guard let start = src.baseAddress else { return }
            for row in 0..<h {
                let y = header.topDown ? row : h - 1 - row
                let base = start + header.pixelOffset + row * stride
                for x in 0..<w { out[x, y] = pixel(base, x) }
            }
        }
        return out
    }

    typealias PixelReader = (UnsafePointer<UInt8>, Int) -> (UInt8, UInt8, UInt8)

    /// The function that reads pixel `x` of a row, for this header's layout.
    private static func unpacker(_ header: BMPHeader, name: String) throws -> PixelReader {
        let bits = header.bitsPerPixel
        let bitfields = header.compression == .bitfields
        switch bits {
        case 1, 4, 8:
            if bitfields { throw unsupportedMasks(header, name) }
            var table = header.palette
            if header.paletteIsGray {
                // Pillow's "1" mode (1-bit) maps bits to 0/255; "L" (8-bit) reads the index as the level.
                table = bits == 1 ? [(0, 0, 0), (255, 255, 255)] : (0..<256).map { (UInt8($0), UInt8($0), UInt8($0)) }
            }
            let mask = (1 << bits) - 1
            return { row, x in
                let bit = x * bits
                let index = (Int(row[bit >> 3]) >> (8 - bits - (bit & 7))) & mask
                return table[index]
            }
        case 16:
            // BI_RGB means 5-5-5; Pillow scales each field with a truncating v * 255 / max.
            let m: (r: UInt32, g: UInt32, b: UInt32) = bitfields ? header.masks : (0x7C00, 0x3E0, 0x1F)
            let greenBits: Int
            switch (m.r, m.g, m.b) {
            case (0x7C00, 0x3E0, 0x1F): greenBits = 5
            case (0xF800, 0x7E0, 0x1F): greenBits = 6
            default: throw unsupportedMasks(header, name)
            }
            let gMax = (1 << greenBits) - 1
            return { row, x in
                let v = Int(row[2 * x]) | Int(row[2 * x + 1]) << 8
                return (UInt8((v >> (5 + greenBits) & 31) * 255 / 31),
                        UInt8((v >> 5 & gMax) * 255 / gMax),
                        UInt8((v & 31) * 255 / 31))
            }
        case 24:
            if bitfields && (header.masks.r, header.masks.g, header.masks.b) != (0xFF0000, 0xFF00, 0xFF) {
                throw unsupportedMasks(header, name)
            }
            return { row, x in (row[3 * x + 2], row[3 * x + 1], row[3 * x]) }
        default:  // 32
            var m: (r: UInt32, g: UInt32, b: UInt32) = bitfields ? header.masks : (0xFF0000, 0xFF00, 0xFF)
            if m == (0, 0, 0) { m = (0xFF0000, 0xFF00, 0xFF) }  // Pillow reads all-zero masks as BGRA
            func byteIndex(_ mask: UInt32) -> Int? {
                let shift = mask.trailingZeroBitCount
                return shift % 8 == 0 && shift < 32 && mask >> shift == 0xFF ? shift / 8 : nil
            }
            guard let r = byteIndex(m.r), let g = byteIndex(m.g), let b = byteIndex(m.b) else {
                throw unsupportedMasks(header, name)
            }
            return { row, x in (row[4 * x + r], row[4 * x + g], row[4 * x + b]) }
        }
    }

    private static func unsupportedMasks(_ header: BMPHeader, _ name: String) -> ImageError {
        let m = header.masks
        return .corrupt(name: name, reason: String(format: "unsupported BMP bitfields layout (%d-bit, masks %X %X %X)",
                                                   header.bitsPerPixel, m.r, m.g, m.b))
    }
}
