import Foundation
import Imaging

/// Where a reference's foreground mask comes from.
public enum MaskMethod: String, Sendable, CaseIterable {
    /// `SaliencyMask.spectralResidual`: our stand-in for the original's DINO-ViT saliency masks.
    case spectralResidual = "spectral-residual"
    /// Every pixel foreground: the region configurations then reduce to their foreground level.
    case uniform
    /// rembg's salient-object segmenter U^2-Net-p (`miqa weights fetch u2netp`), thresholded at
    /// 128: a learned salient-object mask, closer to the original's DINO-ViT masks than
    /// spectral residual.
    case u2netp
}

/// The binary foreground mask of one reference.
public enum ReferenceMask {
    /// File name of a user mask for reference `id`: `<id>_binary_mask.png` (the original's naming).
    public static func userMaskName(_ id: String) -> String { "\(id)_binary_mask.png" }

    /// The user mask `<id>_binary_mask.png` in `folder` (foreground where the red sample is
    /// >= 128), nil when there is none.
    /// - Throws: `DatasetError.maskSizeMismatch` when it is not `width x height`, or the decoder's error.
    public static func userMask(in folder: URL, id: String, width: Int, height: Int) throws -> BinaryMask? {
        let url = folder.appendingPathComponent(userMaskName(id))
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let image = try ImageDecoder.decode(contentsOf: url)
        guard image.width == width, image.height == height else {
            throw DatasetError.maskSizeMismatch(mask: url.path, maskWidth: image.width, maskHeight: image.height,
                                                reference: id, width: width, height: height)
        }
        let values = (0..<(image.width * image.height)).map { image.pixels[$0 * 3] >= 128 ? UInt8(1) : 0 }
        return BinaryMask(width: image.width, height: image.height, values: values)
    }

    /// The mask of `reference`: the user mask `<id>_binary_mask.png` from `masksFolder` when
    /// that file exists, else one made by `method`.
    ///
    /// A user mask is read as an image; a pixel is foreground when its red sample is >= 128
    /// (for grey masks that is the grey level; thresholding at the middle rather than at
    /// non-zero keeps JPEG-compressed masks binary where they were meant to be).
    /// - Throws: `DatasetError.maskSizeMismatch` naming both sizes when the mask's size differs
    ///   from the reference's (the reference is then not generated: silently falling back to
    ///   saliency would mix two kinds of masks in one database), or the decoder's error.
    /// `segmenter` makes the `.u2netp` masks (loaded once per run by the caller).
    public static func mask(for reference: RGBImage, id: String, masksFolder: URL?, method: MaskMethod,
                            segmenter: SalientObjectSegmenter? = nil) throws -> BinaryMask {
        if let masksFolder, let mask = try userMask(in: masksFolder, id: id, width: reference.width, height: reference.height) {
            return mask
        }
        switch method {
        case .spectralResidual: return SaliencyMask.spectralResidual(reference)
        case .uniform:
            return BinaryMask(width: reference.width, height: reference.height,
                              values: [UInt8](repeating: 1, count: reference.width * reference.height))
        case .u2netp:
            guard let segmenter else {
                throw ONNXMachineError.notAvailable("mask method u2netp needs the segmenter; run `miqa weights fetch u2netp`")
            }
            return try segmenter.saliency(reference).binaryMask()
        }
    }
}
