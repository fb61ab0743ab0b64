import CTIFF
import Foundation

/// TIFF decoding through libtiff, matching Pillow's `convert("RGB")` for the
/// layouts Pillow reads itself: 1/2/4/8-bit gray (min-is-black or -white),
/// 1/2/4/8-bit palette, 8-bit RGB with or without alpha, contiguous or planar,
/// strips or tiles, any compression libtiff has (none, LZW, deflate,
/// PackBits, ...) with or without a predictor. Only the first image of a
/// multi-page file is read, as `Image.open` does.
///
/// Anything else goes through libtiff's own RGBA conversion. For YCbCr
/// (JPEG-in-TIFF) that is what Pillow does too, and the fixtures agree
/// exactly; for 16-bit, CMYK and the like the result is sensible but not
/// promised to equal Pillow's.
enum TIFFDecoder {
    /// libtiff's process-wide handlers print to stderr; the per-file ones set
    /// in `miqa_tiff_open` cover almost everything, these cover the rest.
    private static let silenceGlobalHandlers: Void = miqa_tiff_silence_global_handlers()

    /// Largest single allocation libtiff may make (1 GiB): above any real
    /// strip or tile, below what a forged header could ask for.
    private static let maxAllocation = 1 << 30

    static func decode(_ data: Data, name: String, maxPixels: Int) throws -> RGBImage {
        _ = silenceGlobalHandlers
        return try data.withUnsafeBytes { raw -> RGBImage in
            var source = miqa_tiff_source()
            source.data = raw.bindMemory(to: UInt8.self).baseAddress
            source.size = raw.count
            return try withUnsafeMutablePointer(to: &source) { src -> RGBImage in
                guard let tif = miqa_tiff_open(src, maxAllocation) else { throw failure(src, name: name) }
                defer { TIFFClose(tif) }
                let layout = TIFFLayout(tif)
                guard layout.width > 0, layout.height > 0 else {
                    throw ImageError.corrupt(name: name, reason: "zero image size")
                }
                let supported = TIFFSampleConversion.isSupported(layout)
                try DecodeCost.check(width: layout.width, height: layout.height,
                                     bytes: decodeBytes(layout, ownConversion: supported),
                                     maxPixels: maxPixels, name: name)
                do {
                    try TIFFPlaneReader.checkStrilesInside(tif, fileSize: raw.count)
                    if supported {
                        let planes = try TIFFPlaneReader.readPlanes(tif, layout)
                        return TIFFSampleConversion.rgb(planes, layout, colormap: colormap(tif, layout))
                    }
                    return try readThroughRGBA(tif, layout)
                } catch is TIFFPlaneReader.Failure {
                    throw failure(src, name: name)
                } catch is TIFFPlaneReader.OutsideFile {
                    throw ImageError.truncated(name: name)
                } catch let e as TIFFPlaneReader.Invalid {
                    throw ImageError.corrupt(name: name, reason: e.reason)
                }
            }
        }
    }

    /// What decoding allocates. Our own conversion: the decoded planes (16-bit
    /// samples included, in case a layout with them is ever accepted), an
    /// interleaved copy when planar, one tile of scratch, and the RGB result.
    /// libtiff's RGBA path: a 4-byte raster plus the RGB result.
    static func decodeBytes(_ l: TIFFLayout, ownConversion: Bool) -> Int {
        let pixels = DecodeCost.product(l.width, l.height)
        let rgb = DecodeCost.product(pixels, 3)
        guard ownConversion else { return DecodeCost.sum(DecodeCost.product(pixels, 4), rgb) }
        let rowBits = DecodeCost.product(l.width, l.samplesPerPlane, l.bitsPerSample)
        let rowBytes = rowBits == Int.max ? Int.max : (rowBits + 7) / 8
        let planes = DecodeCost.product(rowBytes, l.height, l.planeCount)
        let interleaved = l.planeCount > 1 ? DecodeCost.product(pixels, l.samplesPerPixel) : 0
        let tile = l.tile.map { DecodeCost.product($0.width, $0.height, l.samplesPerPlane, max(1, l.bitsPerSample / 8)) } ?? 0
        return DecodeCost.sum(planes, interleaved, tile, rgb)
    }

    /// Pillow keeps the high byte of each 16-bit colour-map entry.
    private static func colormap(_ tif: OpaquePointer, _ layout: TIFFLayout) -> [(UInt8, UInt8, UInt8)]? {
        guard layout.photometric == 3 else { return nil }
        var r: UnsafePointer<UInt16>? = nil, g: UnsafePointer<UInt16>? = nil, b: UnsafePointer<UInt16>? = nil
        guard miqa_tiff_get_colormap(tif, &r, &g, &b) == 1, let r, let g, let b else { return nil }
        return (0..<(1 << layout.bitsPerSample)).map {
            (UInt8(r[$0] >> 8), UInt8(g[$0] >> 8), UInt8(b[$0] >> 8))
        }
    }

    /// libtiff's catch-all path: every photometric/bit depth it knows, as
    /// RGBA with the rows in top-to-bottom order.
    private static func readThroughRGBA(_ tif: OpaquePointer, _ layout: TIFFLayout) throws -> RGBImage {
        let w = layout.width, h = layout.height
        var raster = [UInt32](repeating: 0, count: w * h)
        let ok = raster.withUnsafeMutableBufferPointer {
            TIFFReadRGBAImageOriented(tif, UInt32(w), UInt32(h), $0.baseAddress, Int32(ORIENTATION_TOPLEFT), 0)
        }
        if ok == 0 { throw TIFFPlaneReader.Failure() }
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) {
            let abgr = raster[i]  // R in the low byte, as libtiff's TIFFGetR
            pixels[i * 3] = UInt8(truncatingIfNeeded: abgr)
            pixels[i * 3 + 1] = UInt8(truncatingIfNeeded: abgr >> 8)
            pixels[i * 3 + 2] = UInt8(truncatingIfNeeded: abgr >> 16)
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }

    /// libtiff's first error message, classified: running out of bytes is
    /// "truncated" (as Pillow says), anything else is corruption. Writers often
    /// put the directory at the end, so a cut file usually fails there.
    private static func failure(_ src: UnsafeMutablePointer<miqa_tiff_source>, name: String) -> ImageError {
        var message = withUnsafeBytes(of: src.pointee.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        // libtiff prefixes the handle's name ("tiff", set in the shim); the error names the file already.
        if message.hasPrefix("tiff: ") { message.removeFirst(6) }
        let lower = message.lowercased()
        let shortRead = ["read error", "can not read", "cannot read", "io error", "not enough", "premature",
                         "past end", "seek error", "unexpected end", "truncated"]
        if shortRead.contains(where: lower.contains) { return .truncated(name: name) }
        return .corrupt(name: name, reason: message.isEmpty ? "libtiff could not read the image" : message)
    }
}
