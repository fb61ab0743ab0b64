// libFuzzer target: safetensors files through the reader: header length, JSON header parser,
// dtype/shape/offset checks, element decoding; and the metadata-only path `weights inspect` uses.
// Built only by scripts/fuzz.sh (`-D MIQA_FUZZ -sanitize=fuzzer,address`); see docs/fuzzing.md.
#if MIQA_FUZZ
import Foundation
import FuzzSupport
@testable import Checkpoints

private let inputURL = URL(fileURLWithPath: "/fuzz/input.safetensors")

/// One libFuzzer execution: reads `data[0..<size]` as a safetensors file, tensors and metadata.
/// A thrown `CheckpointError` is an accepted outcome; crashes, sanitizer reports, timeouts,
/// memory blow-ups and a returned dictionary that breaks ``TensorInvariants`` are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // A copy of exactly `size` bytes: AddressSanitizer then flags any read past the end.
    let bytes = Data(bytes: data, count: size)
    _ = try? SafetensorsHeader(data: bytes, url: inputURL, parseTensors: false).metadata
    if let tensors = try? SafetensorsReader.read(inputURL, data: bytes) { TensorInvariants.check(tensors) }
    return 0
}
#else
import Foundation

/// Without the fuzzing build flags there is no libFuzzer to drive the target; say so and fail
/// rather than look like a program that did something.
@main
enum FuzzSafetensorsUnavailable {
    static func main() {
        FileHandle.standardError.write(Data("FuzzSafetensors: build and run it with scripts/fuzz.sh (needs -D MIQA_FUZZ -sanitize=fuzzer,address)\n".utf8))
        exit(2)
    }
}
#endif
