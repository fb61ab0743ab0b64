import CWebP
import Foundation

/// WebP decoding (lossy VP8, lossless VP8L, with or without alpha) through
/// libwebp's advanced API, straight into an RGB buffer.
///
/// Pillow decodes through libwebp as well, into RGBA, and `convert("RGB")`
/// drops the alpha; libwebp's RGB output has the very same colour samples
/// (same fancy upsampling, alpha is never multiplied in), so the pixels are
/// identical. Animated files are refused rather than silently taking frame 1.
enum WebPDecoder {
    static func decode(_ data: Data, name: String, maxPixels: Int) throws -> RGBImage {
        try data.withUnsafeBytes { raw -> RGBImage in
            guard let src = raw.bindMemory(to: UInt8.self).baseAddress else { throw ImageError.emptyFile(name: name) }
            var config = WebPDecoderConfig()
            guard WebPInitDecoderConfig(&config) != 0 else {
                throw ImageError.corrupt(name: name, reason: "libwebp version mismatch")
            }
            // The bitstream header gives the size without decoding any pixels.
            try check(WebPGetFeatures(src, raw.count, &config.input), name: name)
            if config.input.has_animation != 0 {
                throw ImageError.unsupportedFormat(name: name, format: "animated WebP")
            }
            let w = Int(config.input.width), h = Int(config.input.height)
            guard w > 0, h > 0 else { throw ImageError.corrupt(name: name, reason: "zero image size") }
            // libwebp decodes straight into our RGB buffer (its own scratch rows are small).
            try DecodeCost.check(width: w, height: h, codecBytesPerPixel: 0, maxPixels: maxPixels, name: name)

            var pixels = [UInt8](repeating: 0, count: w * h * 3)
            let status = pixels.withUnsafeMutableBufferPointer { dst -> VP8StatusCode in
                config.output.colorspace = MODE_RGB
                config.output.is_external_memory = 1
                config.output.u.RGBA.rgba = dst.baseAddress
                config.output.u.RGBA.stride = Int32(w * 3)
                config.output.u.RGBA.size = dst.count
                defer { WebPFreeDecBuffer(&config.output) }  // external memory: frees nothing of ours
                return WebPDecode(src, raw.count, &config)
            }
            try check(status, name: name)
            return RGBImage(width: w, height: h, pixels: pixels)
        }
    }

    private static func check(_ status: VP8StatusCode, name: String) throws {
        switch status {
        case VP8_STATUS_OK: return
        case VP8_STATUS_NOT_ENOUGH_DATA: throw ImageError.truncated(name: name)
        case VP8_STATUS_UNSUPPORTED_FEATURE:
            throw ImageError.corrupt(name: name, reason: "unsupported WebP feature")
        case VP8_STATUS_OUT_OF_MEMORY: throw ImageError.corrupt(name: name, reason: "libwebp ran out of memory")
        default: throw ImageError.corrupt(name: name, reason: "invalid WebP bitstream (libwebp status \(status.rawValue))")
        }
    }
}
