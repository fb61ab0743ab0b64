import CTurboJPEG
import Foundation

/// JPEG decoding through TurboJPEG.
///
/// With default flags TurboJPEG uses the accurate integer IDCT and "fancy"
/// (smooth) chroma upsampling, which are also libjpeg's defaults that Pillow
/// runs with, so the RGB pixels are identical to Pillow's.
enum JPEGDecoder {
    static func decode(_ data: Data, name: String, maxPixels: Int) throws -> RGBImage {
        guard let handle = tjInitDecompress() else {
            throw ImageError.corrupt(name: name, reason: "cannot initialise TurboJPEG")
        }
        defer { tjDestroy(handle) }

        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> RGBImage in
            guard let src = raw.bindMemory(to: UInt8.self).baseAddress else { throw ImageError.emptyFile(name: name) }
            let size = UInt(raw.count)
            var width: Int32 = 0, height: Int32 = 0, subsamp: Int32 = 0, colorspace: Int32 = 0
            if tjDecompressHeader3(handle, src, size, &width, &height, &subsamp, &colorspace) != 0 {
                throw failure(handle, name: name)
            }
            let w = Int(width), h = Int(height)
            guard w > 0, h > 0 else { throw ImageError.corrupt(name: name, reason: "zero image size") }
            let isCMYK = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
            // RGB straight out, or a 4-byte CMYK buffer first.
            try DecodeCost.check(width: w, height: h, codecBytesPerPixel: isCMYK ? 4 : 0, maxPixels: maxPixels, name: name)
            if !isCMYK {
                // Gray JPEGs come out with R = G = B, like Pillow's L -> RGB.
                var pixels = [UInt8](repeating: 0, count: w * h * 3)
                try pixels.withUnsafeMutableBufferPointer { buf in
                    try check(handle, name: name) { flags in
                        tjDecompress2(handle, src, size, buf.baseAddress, width, 0, height, Int32(TJPF_RGB.rawValue), flags)
                    }
                }
                return RGBImage(width: w, height: h, pixels: pixels)
            }
            // YCCK is turned into CMYK by libjpeg; the RGB step follows Pillow.
            var cmyk = [UInt8](repeating: 0, count: w * h * 4)
            try cmyk.withUnsafeMutableBufferPointer { buf in
                try check(handle, name: name) { flags in
                    tjDecompress2(handle, src, size, buf.baseAddress, width, 0, height, Int32(TJPF_CMYK.rawValue), flags)
                }
            }
            var pixels = [UInt8](repeating: 0, count: w * h * 3)
            cmyk.withUnsafeBufferPointer { c in
                pixels.withUnsafeMutableBufferPointer { p in
                    CMYKConversion.invertedCMYKToRGB(c.baseAddress!, p.baseAddress!, count: w * h)
                }
            }
            return RGBImage(width: w, height: h, pixels: pixels)
        }
    }

    /// Runs `decompress` (given TurboJPEG flags) and turns its result into success or an error.
    ///
    /// TurboJPEG returns -1 for warnings too. Pillow only fails on one kind of
    /// libjpeg warning, running out of data ("image file is truncated"); other
    /// warnings (extraneous bytes, bad Huffman code) still yield an image there,
    /// so they do here.
    ///
    /// TurboJPEG 2.1 reports the error code as "warning" whenever any warning
    /// came first, even when a fatal libjpeg error then stopped the decode (a
    /// truncated progressive file warns "Premature end", then fails on the
    /// garbage it reads next); the image is then incomplete, mostly black. So a
    /// "warning" whose text is not one of libjpeg's warning messages is a failure:
    /// decoding again, stopping at the first warning, tells whether it began with
    /// the data running out (Pillow: truncated) or with something else (corrupt).
    private static func check(_ handle: tjhandle, name: String, _ decompress: (Int32) -> Int32) throws {
        guard decompress(0) != 0 else { return }
        guard tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue) else { throw failure(handle, name: name) }
        let message = String(cString: tjGetErrorStr2(handle))
        if message.hasPrefix("Premature end") { throw ImageError.truncated(name: name) }
        if isLibjpegWarning(message) { return }
        _ = decompress(Int32(TJFLAG_STOPONWARNING))
        let first = String(cString: tjGetErrorStr2(handle))
        if first.hasPrefix("Premature end") { throw ImageError.truncated(name: name) }
        throw ImageError.corrupt(name: name, reason: message)
    }

    /// The leading text of every JWRN_* message of libjpeg-turbo 2.1's jerror.h;
    /// anything else TurboJPEG hands back is a JERR_* (fatal) message.
    private static let warningPrefixes = [
        "Corrupt JPEG data:",                   // extraneous bytes, bad Huffman/arithmetic code, RST resync, ICC
        "Unknown Adobe color transform code",
        "Inconsistent progression sequence",
        "Warning: unknown JFIF revision number",
        "Premature end of JPEG file",
        "Invalid SOS parameters for sequential JPEG",
        "Application transferred too many scanlines",
    ]

    static func isLibjpegWarning(_ message: String) -> Bool {
        warningPrefixes.contains { message.hasPrefix($0) }
    }

    private static func failure(_ handle: tjhandle, name: String) -> ImageError {
        let message = String(cString: tjGetErrorStr2(handle))
        if message.contains("Premature end") { return .truncated(name: name) }
        return .corrupt(name: name, reason: message)
    }
}
