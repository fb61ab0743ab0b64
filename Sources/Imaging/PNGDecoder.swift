import CPNG
import Foundation

/// PNG decoding through libpng's classic API (via the small C shim in CPNG,
/// which owns the setjmp), mapped to RGB the way Pillow's `convert("RGB")` does:
/// alpha is dropped, never composited; gamma/sRGB/iCCP chunks are ignored.
enum PNGDecoder {
    static func decode(_ data: Data, name: String, maxPixels: Int) throws -> RGBImage {
        // IHDR sits at a fixed offset; reading the size here lets a bogus
        // 30000x30000 header be refused before libpng or we allocate anything.
        guard data.count >= 16 else { throw ImageError.truncated(name: name) }
        guard Array(data.dropFirst(12).prefix(4)) == Array("IHDR".utf8) else {
            throw ImageError.corrupt(name: name, reason: "first chunk is not IHDR")
        }
        guard data.count >= 33 else { throw ImageError.truncated(name: name) }
        let bytes = [UInt8](data.prefix(33))
        func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        let width = be32(16), height = be32(20)
        try DecodeCost.check(width: width, height: height,
                             bytes: decodeBytes(width: width, height: height, bitDepth: Int(bytes[24]), colorType: Int(bytes[25])),
                             maxPixels: maxPixels, name: name)

        var out = miqa_png_decoded()
        let rc = data.withUnsafeBytes { raw in
            miqa_png_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &out)
        }
        defer { free(out.pixels) }
        guard rc == 0, let src = out.pixels else {
            let message = withUnsafeBytes(of: out.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if message == MIQA_PNG_TRUNCATED { throw ImageError.truncated(name: name) }
            throw ImageError.corrupt(name: name, reason: message)
        }
        let w = Int(out.width), h = Int(out.height)
        // The budget above was worked out for IHDR's size; libpng must have used the same.
        guard w == width, h == height, w > 0, h > 0,
              out.rowBytes >= w * Int(out.channels) * Int(out.bitDepth) / 8 else {
            throw ImageError.corrupt(name: name, reason: "libpng returned an unexpected row layout")
        }
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeMutableBufferPointer { dst in
            guard let base = dst.baseAddress else { return }
            for y in 0..<h {
                toRGB(src + y * out.rowBytes, base + y * w * 3, count: w,
                      channels: Int(out.channels), bitDepth: Int(out.bitDepth))
            }
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }

    /// What decoding allocates, from IHDR: libpng's whole-image buffer (after our
    /// transforms, a row is at most 4 samples per pixel: palette and tRNS expand to
    /// RGBA) plus one row pointer per row, then the 3-byte RGB copy.
    static func decodeBytes(width: Int, height: Int, bitDepth: Int, colorType: Int) -> Int {
        let sampleBytes = bitDepth == 16 ? 2 : 1
        let channels: Int
        switch colorType {
        case 0: channels = 2         // gray (+ alpha from tRNS)
        case 4: channels = 2         // gray + alpha
        default: channels = 4        // RGB (+ tRNS), palette, RGBA
        }
        let rowBytes = DecodeCost.sum(DecodeCost.product(width, channels, sampleBytes), MemoryLayout<UnsafeRawPointer>.size)
        return DecodeCost.sum(DecodeCost.product(rowBytes, height), DecodeCost.product(width, height, 3))
    }

    /// Converts one row. The 16-bit rules are Pillow's, not "correct" scaling:
    /// 16-bit RGB(A) and gray+alpha keep the high byte (raw modes "RGB;16B",
    /// "LA;16B"), while 16-bit gray opens as mode "I;16" whose RGB conversion
    /// clamps the value to 255 (so most 16-bit gray images turn near-white).
    private static func toRGB(_ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<UInt8>,
                              count: Int, channels: Int, bitDepth: Int) {
        let sampleBytes = bitDepth / 8
        let stride = channels * sampleBytes
        for x in 0..<count {
            let p = src + x * stride
            switch channels {
            case 1, 2:
                let v: UInt8
                if sampleBytes == 2 {
                    v = channels == 1 ? UInt8(min(Int(p[0]) << 8 | Int(p[1]), 255)) : p[0]
                } else {
                    v = p[0]
                }
                dst[x * 3] = v; dst[x * 3 + 1] = v; dst[x * 3 + 2] = v
            default:
                for c in 0..<3 { dst[x * 3 + c] = p[c * sampleBytes] }
            }
        }
    }
}
