import CTIFF

/// The tags of a TIFF's first image that decide how its samples are laid out
/// and what they mean.
struct TIFFLayout {
    let width: Int
    let height: Int
    let bitsPerSample: Int
    let samplesPerPixel: Int
    /// 0 min-is-white, 1 min-is-black, 2 RGB, 3 palette, 6 YCbCr, ...
    let photometric: Int
    /// 1 contiguous (RGBRGB...), 2 separate planes (RRR... GGG... BBB...).
    let planarConfig: Int
    /// 1 unsigned integer, 2 signed, 3 IEEE float.
    let sampleFormat: Int
    let compression: Int
    /// ExtraSamples types: 0 unspecified, 1 associated (premultiplied) alpha, 2 unassociated alpha.
    let extraSamples: [Int]
    /// `(tileWidth, tileHeight)` for tiled images, nil for stripped ones.
    let tile: (width: Int, height: Int)?
    let rowsPerStrip: Int

    init(_ tif: OpaquePointer) {
        func u32(_ tag: Int32, default value: UInt32) -> Int {
            var v: UInt32 = value
            return miqa_tiff_get_u32(tif, UInt32(tag), &v) == 1 ? Int(v) : Int(value)
        }
        func u16(_ tag: Int32) -> Int {
            var v: UInt16 = 0
            return miqa_tiff_get_u16_defaulted(tif, UInt32(tag), &v) == 1 ? Int(v) : 0
        }
        width = u32(TIFFTAG_IMAGEWIDTH, default: 0)
        height = u32(TIFFTAG_IMAGELENGTH, default: 0)
        bitsPerSample = u16(TIFFTAG_BITSPERSAMPLE)
        samplesPerPixel = u16(TIFFTAG_SAMPLESPERPIXEL)
        planarConfig = u16(TIFFTAG_PLANARCONFIG)
        sampleFormat = u16(TIFFTAG_SAMPLEFORMAT)
        compression = u16(TIFFTAG_COMPRESSION)
        var photo: UInt16 = 0
        // Photometric has no default in libtiff; a missing tag is guessed the
        // usual way (gray for one sample, RGB otherwise).
        if miqa_tiff_get_u16(tif, UInt32(TIFFTAG_PHOTOMETRIC), &photo) == 1 {
            photometric = Int(photo)
        } else {
            photometric = samplesPerPixel >= 3 ? 2 : 1
        }
        var count: UInt16 = 0
        var types: UnsafePointer<UInt16>? = nil
        if miqa_tiff_get_extra_samples(tif, &count, &types) == 1, let types {
            extraSamples = (0..<Int(count)).map { Int(types[$0]) }
        } else {
            extraSamples = []
        }
        if TIFFIsTiled(tif) != 0 {
            tile = (u32(TIFFTAG_TILEWIDTH, default: 0), u32(TIFFTAG_TILELENGTH, default: 0))
        } else {
            tile = nil
        }
        rowsPerStrip = u32(TIFFTAG_ROWSPERSTRIP, default: UInt32.max)
    }

    /// Samples stored in each plane: all of them when contiguous, one when separate.
    var samplesPerPlane: Int { planarConfig == 2 ? 1 : samplesPerPixel }
    var planeCount: Int { planarConfig == 2 ? samplesPerPixel : 1 }
    /// Bytes of one image row within one plane (rows start on byte boundaries).
    var planeRowBytes: Int { (width * samplesPerPlane * bitsPerSample + 7) / 8 }
}
