extension Resampling {
    /// Largest image (in pixels) a shorter-side resize may produce: the same bound
    /// as decoding (Pillow's decompression-bomb threshold), so preprocessing never
    /// needs more than that many pixels of memory whatever the aspect ratio.
    public static let maxResizePixels = ImageDecoder.defaultMaxPixels

    /// The output size of torchvision's `Resize(size)` with an int size: the
    /// shorter side becomes `size`, the longer one `int(size * long / short)`
    /// (Python float division, then truncation, so it can be 1 px "short").
    /// Sides too long to represent saturate at `Int.max`.
    public static func shorterSideTarget(width: Int, height: Int, size: Int) -> (width: Int, height: Int) {
        func longSide(_ long: Int, _ short: Int) -> Int {
            // Python multiplies exact ints; Double(product) is what the float division sees.
            let (product, overflow) = size.multipliedReportingOverflow(by: long)
            let value = (overflow ? Double(size) * Double(long) : Double(product)) / Double(short)
            return value < 9.0e18 ? Int(value) : Int.max
        }
        if width <= height {
            return (size, longSide(height, width))
        }
        return (longSide(width, height), size)
    }

    /// torchvision `Resize(size)` on a PIL image: bilinear (antialiased)
    /// resize so the shorter side equals `size`. Like torchvision, the image is
    /// returned unchanged when the computed size equals its current size.
    ///
    /// The output size is worked out first: a very thin image (1000000x1 becomes
    /// 288000000x288 at size 288) is refused with `ResizeError` before anything
    /// is allocated, instead of asking for hundreds of gigabytes.
    public static func resizeShorterSide(_ img: RGBImage, to size: Int,
                                         maxPixels: Int = maxResizePixels) throws -> RGBImage {
        let target = try checkShorterSideResize(width: img.width, height: img.height, size: size, maxPixels: maxPixels)
        if target.width == img.width && target.height == img.height { return img }
        return resizeBilinear(img, width: target.width, height: target.height)
    }

    /// The shorter-side target of a `width x height` image, or `ResizeError` when it
    /// would have more than `maxPixels` pixels (or no valid size at all).
    @discardableResult
    public static func checkShorterSideResize(width: Int, height: Int, size: Int,
                                              maxPixels: Int = maxResizePixels) throws -> (width: Int, height: Int) {
        guard size > 0, width > 0, height > 0 else {
            throw ResizeError(width: width, height: height, size: size, target: (0, 0), limit: maxPixels)
        }
        let target = shorterSideTarget(width: width, height: height, size: size)
        if target.width == width && target.height == height { return target }
        let (pixels, overflow) = target.width.multipliedReportingOverflow(by: target.height)
        if overflow || pixels > maxPixels || target.width <= 0 || target.height <= 0 {
            throw ResizeError(width: width, height: height, size: size, target: target, limit: maxPixels)
        }
        return target
    }
}

extension Resampling {
    /// Exactly `centerCrop(resizeShorterSide(img, to: size), width: cropWidth, height: cropHeight)`,
    /// but only the cropped window of the resize is computed, so it never fails and its memory
    /// is bounded by the crop whatever the aspect ratio (a 1000000x1 image costs a 224x224
    /// window of its 288000000x288 resize). For callers that cannot report an error;
    /// `resizeShorterSide` refuses such images instead.
    public static func resizeShorterSideAndCenterCrop(_ img: RGBImage, to size: Int,
                                                      cropWidth: Int, cropHeight: Int) -> RGBImage {
        precondition(size > 0 && cropWidth > 0 && cropHeight > 0, "sizes must be positive")
        precondition(img.width > 0 && img.height > 0, "cannot resize an empty image")
        let target = shorterSideTarget(width: img.width, height: img.height, size: size)
        // Crop offsets as centerCrop computes them; an axis shorter than the crop is kept
        // whole here and padded by centerCrop below, as it would pad the full resize.
        func window(_ full: Int, _ crop: Int) -> Range<Int> {
            guard full > crop else { return 0..<full }
            let start = Int((Double(full - crop) / 2.0).rounded(.toNearestOrEven))
            return start..<start + crop
        }
        let columns = window(target.width, cropWidth), rows = window(target.height, cropHeight)
        let cut: RGBImage
        if target.width == img.width && target.height == img.height {
            cut = crop(img, left: columns.lowerBound, top: rows.lowerBound, width: columns.count, height: rows.count)
        } else {
            cut = resizeWindow(img, width: target.width, height: target.height, columns: columns, rows: rows,
                               filter: .bilinear)
        }
        return centerCrop(cut, width: cropWidth, height: cropHeight)
    }
}
