/// The memory a decode will take, worked out from the header alone so that a forged
/// size is refused before any pixel buffer exists.
///
/// The pixel limit alone is not enough: a 16-bit RGBA PNG costs 8 bytes per pixel inside
/// libpng before our 3-byte RGB copy exists, and a caller may raise `maxPixels`. Each
/// decoder states what it allocates per pixel and per row; this checks the pixel limit,
/// then the total against `ImageDecoder.maxDecodeBytes`.
enum DecodeCost {
    /// Saturating product: an overflow means "more than any budget".
    static func product(_ values: Int...) -> Int {
        var total = 1
        for v in values {
            guard v >= 0 else { return Int.max }
            let (p, overflow) = total.multipliedReportingOverflow(by: v)
            if overflow { return Int.max }
            total = p
        }
        return total
    }

    /// Saturating sum.
    static func sum(_ values: Int...) -> Int {
        var total = 0
        for v in values {
            let (s, overflow) = total.addingReportingOverflow(v)
            if overflow { return Int.max }
            total = s
        }
        return total
    }

    /// Throws unless a `width x height` image fits `maxPixels` and its decode, which
    /// allocates `bytes` in all (codec buffers plus the RGB result), fits the byte budget.
    static func check(width: Int, height: Int, bytes: Int, maxPixels: Int, name: String,
                      maxBytes: Int = ImageDecoder.maxDecodeBytes) throws {
        try ImageDecoder.checkPixelLimit(width: width, height: height, maxPixels: maxPixels, name: name)
        if bytes > maxBytes {
            throw ImageError.tooManyBytes(name: name, width: width, height: height, bytes: bytes, limit: maxBytes)
        }
    }

    /// The common case: `bytesPerPixel` of codec buffers besides the 3-byte RGB result.
    static func check(width: Int, height: Int, codecBytesPerPixel: Int, maxPixels: Int, name: String) throws {
        try check(width: width, height: height, bytes: product(width, height, sum(codecBytesPerPixel, 3)),
                  maxPixels: maxPixels, name: name)
    }
}
