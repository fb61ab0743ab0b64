// libFuzzer target: legacy PyTorch checkpoints (pre-1.6 `torch.save`, back-to-back pickles
// then raw storages) through the legacy reader, storage ranges, tensor assembly.
// Built only by scripts/fuzz.sh (`-D MIQA_FUZZ -sanitize=fuzzer,address`); see docs/fuzzing.md.
#if MIQA_FUZZ
import Foundation
import FuzzSupport
@testable import Checkpoints

private let inputURL = URL(fileURLWithPath: "/fuzz/input.legacy.pt")

/// One libFuzzer execution: reads `data[0..<size]` as a legacy checkpoint. A thrown
/// `CheckpointError` is an accepted outcome; crashes, sanitizer reports, timeouts, memory
/// blow-ups and a returned dictionary that breaks ``TensorInvariants`` are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTorchLegacy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // A copy of exactly `size` bytes: AddressSanitizer then flags any read past the end.
    let bytes = Data(bytes: data, count: size)
    if let contents = try? TorchLegacyReader.read(inputURL, data: bytes) { TensorInvariants.check(contents.tensors) }
    return 0
}
#else
import Foundation

/// Without the fuzzing build flags there is no libFuzzer to drive the target; say so and fail
/// rather than look like a program that did something.
@main
enum FuzzTorchLegacyUnavailable {
    static func main() {
        FileHandle.standardError.write(Data("FuzzTorchLegacy: build and run it with scripts/fuzz.sh (needs -D MIQA_FUZZ -sanitize=fuzzer,address)\n".utf8))
        exit(2)
    }
}
#endif
