import CCairo
import Foundation

/// A raster to draw on: a Cairo ARGB32 image surface with its context.
///
/// Coordinates are in pixels, origin top-left, y down; a pixel's centre is
/// at `(x + 0.5, y + 0.5)`. Shapes are anti-aliased. Read the result with
/// `rgbImage()` or `pngData()`.
///
/// A canvas is not thread-safe; use one per thread.
public final class Canvas {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    let surface: OpaquePointer
    let cr: OpaquePointer

    /// A canvas filled with `background` (default opaque white).
    public init(width: Int, height: Int, background: CanvasColor = .white) {
        precondition(width > 0 && height > 0, "canvas size must be positive, got \(width)x\(height)")
        self.width = width
        self.height = height
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        precondition(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, "cannot create a \(width)x\(height) surface")
        cr = cairo_create(surface)
        configureText()
        cairo_save(cr)
        setColor(background)
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE)  // replace, so a translucent background stays translucent
        cairo_paint(cr)
        cairo_restore(cr)
    }

    /// A canvas holding a copy of `image`, to draw over a photo.
    public convenience init(image: RGBImage) {
        self.init(width: image.width, height: image.height, background: .black)
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let base = cairo_image_surface_get_data(surface)!
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<height {
                let row = UnsafeMutableRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    // ARGB32 is one native-endian word per pixel; opaque, so no premultiplying.
                    row[x] = 0xFF00_0000 | UInt32(src[i]) << 16 | UInt32(src[i + 1]) << 8 | UInt32(src[i + 2])
                }
            }
        }
        cairo_surface_mark_dirty(surface)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    func setColor(_ c: CanvasColor) {
        cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a)
    }

    /// Runs `body` between `cairo_save` and `cairo_restore`, so path, clip,
    /// dash and transform changes do not leak into later drawing.
    func saved<T>(_ body: () -> T) -> T {
        cairo_save(cr)
        defer { cairo_restore(cr) }
        return body()
    }

    /// Copies `other` onto this canvas with its top-left corner at `(x, y)`.
    public func draw(_ other: Canvas, atX x: Double, y: Double) {
        cairo_surface_flush(other.surface)
        saved {
            cairo_set_source_surface(cr, other.surface, x, y)
            cairo_paint(cr)
        }
    }

    /// Restricts all later drawing in `body` to a rectangle.
    public func clipped(x: Double, y: Double, width: Double, height: Double, _ body: () -> Void) {
        saved {
            cairo_rectangle(cr, x, y, width, height)
            cairo_clip(cr)
            body()
        }
    }

    /// `left` and `right` next to each other, top-aligned, on a white canvas
    /// as tall as the taller one.
    public static func sideBySide(_ left: Canvas, _ right: Canvas) -> Canvas {
        let out = Canvas(width: left.width + right.width, height: max(left.height, right.height))
        out.draw(left, atX: 0, y: 0)
        out.draw(right, atX: Double(left.width), y: 0)
        return out
    }
}
