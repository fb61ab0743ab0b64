/// Pillow-exact image resizing and the torchvision geometry built on it.
public enum Resampling {
    /// Bit-exact equivalent of Pillow's `img.resize((width, height), Image.BILINEAR)`
    /// for an RGB image (antialiased when downscaling).
    public static func resizeBilinear(_ img: RGBImage, width: Int, height: Int) -> RGBImage {
        resize(img, width: width, height: height, filter: .bilinear)
    }

    /// Bit-exact equivalent of Pillow's `img.resize((width, height), Image.BICUBIC)`.
    public static func resizeBicubic(_ img: RGBImage, width: Int, height: Int) -> RGBImage {
        resize(img, width: width, height: height, filter: .bicubic)
    }

    /// Pillow's separable two-pass resample: a horizontal pass into an 8-bit
    /// intermediate (clipped, as in Pillow, which is why the pass order
    /// matters), then a vertical pass. Either pass is skipped when its axis
    /// keeps its size, exactly like `ImagingResampleInner`.
    public static func resize(_ img: RGBImage, width: Int, height: Int, filter: ResampleFilter) -> RGBImage {
        precondition(width > 0 && height > 0, "resize target must be positive")
        precondition(img.width > 0 && img.height > 0, "cannot resize an empty image")
        if width == img.width && height == img.height { return img }

        let vertical = ResampleCoefficients(inSize: img.height, outSize: height, filter: filter)
        var current = img
        if width != img.width {
            // Only the source rows the vertical pass will read are resampled;
            // this saves work and does not change any value.
            let firstRow = height != img.height ? vertical.first[0] : 0
            let lastRow = height != img.height ? vertical.first[height - 1] + vertical.count[height - 1] : img.height
            let horizontal = ResampleCoefficients(inSize: img.width, outSize: width, filter: filter)
            current = ResamplePasses.horizontal(img, rows: firstRow..<lastRow, coefficients: horizontal)
            if height == img.height { return current }
            return ResamplePasses.vertical(current, rowOffset: firstRow, coefficients: vertical)
        }
        return ResamplePasses.vertical(current, rowOffset: 0, coefficients: vertical)
    }
}
