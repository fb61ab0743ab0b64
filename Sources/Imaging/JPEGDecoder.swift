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
            let src = raw.bindMemory(to: UInt8.self).baseAddress!
            let size = UInt(raw.count)
            var width: Int32 = 0, height: Int32 = 0, subsamp: Int32 = 0, colorspace: Int32 = 0
            if tjDecompressHeader3(handle, src, size, &width, &height, &subsamp, &colorspace) != 0 {
                throw failure(handle, name: name)
            }
            let w = Int(width), h = Int(height)
            guard w > 0, h > 0 else { throw ImageError.corrupt(name: name, reason: "zero image size") }
            try ImageDecoder.checkPixelLimit(width: w, height: h, maxPixels: maxPixels, name: name)

            let isCMYK = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
            if !isCMYK {
                // Gray JPEGs come out with R = G = B, like Pillow's L -> RGB.
                var pixels = [UInt8](repeating: 0, count: w * h * 3)
                let rc = pixels.withUnsafeMutableBufferPointer {
                    tjDecompress2(handle, src, size, $0.baseAddress, width, 0, height, Int32(TJPF_RGB.rawValue), 0)
                }
                try check(rc, handle, name: name)
                return RGBImage(width: w, height: h, pixels: pixels)
            }
            // YCCK is turned into CMYK by libjpeg; the RGB step follows Pillow.
            var cmyk = [UInt8](repeating: 0, count: w * h * 4)
            let rc = cmyk.withUnsafeMutableBufferPointer {
                tjDecompress2(handle, src, size, $0.baseAddress, width, 0, height, Int32(TJPF_CMYK.rawValue), 0)
            }
            try check(rc, handle, name: name)
            var pixels = [UInt8](repeating: 0, count: w * h * 3)
            cmyk.withUnsafeBufferPointer { c in
                pixels.withUnsafeMutableBufferPointer { p in
                    CMYKConversion.invertedCMYKToRGB(c.baseAddress!, p.baseAddress!, count: w * h)
                }
            }
            return RGBImage(width: w, height: h, pixels: pixels)
        }
    }

    /// TurboJPEG returns -1 for warnings too. Pillow only fails on one kind of
    /// libjpeg warning, running out of data ("image file is truncated"); other
    /// warnings (extraneous bytes, bad Huffman code) still yield an image there,
    /// so they do here.
    private static func check(_ rc: Int32, _ handle: tjhandle, name: String) throws {
        guard rc != 0 else { return }
        if tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue) {
            let message = String(cString: tjGetErrorStr2(handle))
            if message.contains("Premature end") { throw ImageError.truncated(name: name) }
            return
        }
        throw failure(handle, name: name)
    }

    private static func failure(_ handle: tjhandle, name: String) -> ImageError {
        let message = String(cString: tjGetErrorStr2(handle))
        if message.contains("Premature end") { return .truncated(name: name) }
        return .corrupt(name: name, reason: message)
    }
}
