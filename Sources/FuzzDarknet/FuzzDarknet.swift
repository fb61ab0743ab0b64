// libFuzzer target: the Darknet readers. The input is a `.cfg` text and a `.weights` file split
// at the first NUL byte: `DarknetConfig(text:)`, `DarknetWeights(data:url:)`, then the
// conversion `DarknetNetwork.parameters(of:weights:)`, which builds every layer (oneDNN
// kernels included) from values the weights file must hold, so the memory asked for is bounded
// by the input. Built only by scripts/fuzz.sh (`-D MIQA_FUZZ -sanitize=fuzzer,address`).
#if MIQA_FUZZ
import Foundation
import Checkpoints
import MIQA

private let weightsURL = URL(fileURLWithPath: "/fuzz/input.weights")

/// One libFuzzer execution. Thrown errors are accepted outcomes; crashes, sanitizer reports,
/// timeouts, memory blow-ups, and a conversion whose tensors do not hold exactly the values
/// taken from the file are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDarknet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let all = Data(bytes: data, count: size)
    let cut = all.firstIndex(of: 0) ?? all.endIndex
    let text = String(decoding: all[all.startIndex..<cut], as: UTF8.self)
    let weightBytes = cut < all.endIndex ? all[all.index(after: cut)...] : Data()
    guard let config = try? DarknetConfig(text: text) else { return 0 }
    guard let weights = try? DarknetWeights(data: Data(weightBytes), url: weightsURL) else { return 0 }
    if let dict = try? DarknetNetwork.parameters(of: config, weights: weights) {
        let used = dict.entries.reduce(0) { $0 + $1.tensor.values.count }
        guard used == weights.values.count else { fatalError("conversion used \(used) of \(weights.values.count) values") }
    }
    return 0
}
#else
import Foundation

/// Without the fuzzing build flags there is no libFuzzer to drive the target; say so and fail.
@main
enum FuzzDarknetUnavailable {
    static func main() {
        FileHandle.standardError.write(Data("FuzzDarknet: build and run it with scripts/fuzz.sh (needs -D MIQA_FUZZ -sanitize=fuzzer,address)\n".utf8))
        exit(2)
    }
}
#endif
