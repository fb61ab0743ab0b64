import CCairo
import Foundation

/// Reading the pixels back.
extension Canvas {
    /// The canvas as 8-bit RGB. Cairo stores premultiplied colour; it is
    /// divided by alpha here (rounded), so a half-transparent red over a
    /// transparent canvas reads back as red, not dark red. Fully transparent
    /// pixels read as black.
    public func rgbImage() -> RGBImage {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let base = UnsafeRawPointer(cairo_image_surface_get_data(surface)!)
        var out = RGBImage(width: width, height: height)
        out.pixels.withUnsafeMutableBufferPointer { dst in
            for y in 0..<height {
                let row = (base + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<width {
                    let argb = row[x]
                    let a = argb >> 24
                    let i = (y * width + x) * 3
                    dst[i] = Canvas.unpremultiply((argb >> 16) & 0xFF, a)
                    dst[i + 1] = Canvas.unpremultiply((argb >> 8) & 0xFF, a)
                    dst[i + 2] = Canvas.unpremultiply(argb & 0xFF, a)
                }
            }
        }
        return out
    }

    /// One premultiplied sample divided by alpha, rounded to nearest.
    @inline(__always) static func unpremultiply(_ v: UInt32, _ a: UInt32) -> UInt8 {
        switch a {
        case 255: return UInt8(v)
        case 0: return 0
        default: return UInt8(min(255, (v * 255 + a / 2) / a))
        }
    }

    /// Opacity of pixel `(x, y)`, 0...255.
    public func alpha(x: Int, y: Int) -> UInt8 {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let row = UnsafeRawPointer(cairo_image_surface_get_data(surface)! + y * stride).assumingMemoryBound(to: UInt32.self)
        return UInt8(row[x] >> 24)
    }

    /// The canvas as an RGB PNG (alpha dropped after un-premultiplying).
    public func pngData() -> Data {
        ImageEncoder.png(rgbImage())
    }
}
