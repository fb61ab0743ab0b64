import CPNG
import CTurboJPEG
import Foundation

/// Writes `RGBImage`s as PNG or JPEG.
public enum ImageEncoder {
    /// Lossless 8-bit RGB PNG, via libpng's simplified write API (no setjmp
    /// needed, and for 8-bit sRGB input it stores the samples unchanged).
    public static func png(_ img: RGBImage) -> Data {
        encodePNG(pngDescription(img), samples: img.pixels, what: "\(img.width)x\(img.height)")
    }

    /// Lossless 8-bit greyscale PNG of `width x height` samples (masks), row-major.
    public static func greyPNG(width: Int, height: Int, values: [UInt8]) -> Data {
        precondition(values.count == width * height, "\(values.count) samples for \(width)x\(height)")
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = UInt32(PNG_FORMAT_GRAY)
        return encodePNG(image, samples: values, what: "\(width)x\(height) grey")
    }

    /// Both PNG writers' encoding: the first libpng call measures, the second writes.
    private static func encodePNG(_ description: png_image, samples: [UInt8], what: String) -> Data {
        var image = description
        return samples.withUnsafeBufferPointer { px -> Data in
            var size = 0
            guard png_image_write_to_memory(&image, nil, &size, 0, px.baseAddress, 0, nil) != 0 else {
                preconditionFailure("libpng cannot encode \(what): \(message(image))")
            }
            var data = Data(count: size)
            let ok = data.withUnsafeMutableBytes {
                png_image_write_to_memory(&image, $0.baseAddress, &size, 0, px.baseAddress, 0, nil)
            }
            precondition(ok != 0, "libpng encode failed: \(message(image))")
            png_image_free(&image)
            return data.prefix(size)
        }
    }

    /// libpng's description of `img` as 8-bit RGB, for both PNG writers.
    static func pngDescription(_ img: RGBImage, flags: Int32 = 0) -> png_image {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(img.width)
        image.height = UInt32(img.height)
        image.format = UInt32(PNG_FORMAT_RGB)
        image.flags = UInt32(flags)
        return image
    }

    /// Baseline JPEG with the settings of Pillow's `save(format="JPEG", quality=q)`:
    /// 4:2:0 chroma subsampling, the accurate integer DCT (TurboJPEG would
    /// otherwise pick the fast one) and standard Huffman tables.
    public static func jpeg(_ img: RGBImage, quality: Int) -> Data {
        guard let handle = tjInitCompress() else { preconditionFailure("cannot initialise TurboJPEG") }
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let rc = img.pixels.withUnsafeBufferPointer {
            tjCompress2(handle, $0.baseAddress, Int32(img.width), 0, Int32(img.height), Int32(TJPF_RGB.rawValue),
                        &buffer, &size, Int32(TJSAMP_420.rawValue), Int32(min(max(quality, 1), 100)),
                        TJFLAG_ACCURATEDCT)
        }
        defer { tjFree(buffer) }
        precondition(rc == 0, "TurboJPEG encode failed: \(String(cString: tjGetErrorStr2(handle)))")
        return Data(bytes: buffer!, count: Int(size))
    }

    private static func message(_ image: png_image) -> String {
        withUnsafeBytes(of: image.message) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
    }
}
