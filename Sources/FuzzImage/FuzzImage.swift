// libFuzzer target: image files through `ImageDecoder.decode(data:name:maxPixels:)`, the one
// entry point every command uses (format sniffing, then the JPEG, PNG, WebP, BMP and TIFF
// decoders), then the scoring preprocess (shorter side to 288, centre crop 224, normalise).
// Built only by scripts/fuzz.sh (`-D MIQA_FUZZ -sanitize=fuzzer,address`); see docs/fuzzing.md.
#if MIQA_FUZZ
import Foundation
import Imaging

/// Decoding costs time linear in the declared pixel count, up to the limit. Under AddressSanitizer a
/// legitimate image near the CLI's default (179 Mpixel; a 300-byte RLE4 BMP of 6291479x14) takes
/// over libFuzzer's 10 s timeout without any bug, so the target uses 2^24 pixels: the limit
/// checks are the same code with another constant, and the reproducer tests cover the default.
let fuzzMaxPixels = 1 << 24

/// One libFuzzer execution: decodes `data[0..<size]` with `fuzzMaxPixels` and, when
/// that succeeds, preprocesses it as `miqa score` does. A thrown `ImageError` is an accepted
/// outcome; crashes, sanitizer reports, timeouts, memory blow-ups, and a decoded image whose
/// pixel buffer does not match its size, are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // A copy of exactly `size` bytes: AddressSanitizer then flags any read past the end.
    let bytes = Data(bytes: data, count: size)
    // `try` also covers the preprocess, so this compiles whether or not it becomes throwing.
    do {
        let image = try ImageDecoder.decode(data: bytes, name: "fuzz-input", maxPixels: fuzzMaxPixels)
        if image.width < 1 || image.height < 1 || image.pixels.count != image.width * image.height * 3 {
            fatalError("decoder returned \(image.width)x\(image.height) with \(image.pixels.count) bytes")
        }
        let tensor = try Preprocess.imagenet.apply(image)
        if tensor.count != 3 * 224 * 224 { fatalError("preprocess returned \(tensor.count) values, not 3x224x224") }
    } catch {}
    return 0
}
#else
import Foundation

/// Without the fuzzing build flags there is no libFuzzer to drive the target; say so and fail
/// rather than look like a program that did something.
@main
enum FuzzImageUnavailable {
    static func main() {
        FileHandle.standardError.write(Data("FuzzImage: build and run it with scripts/fuzz.sh (needs -D MIQA_FUZZ -sanitize=fuzzer,address)\n".utf8))
        exit(2)
    }
}
#endif
