// libFuzzer target: the ONNX importer. The input is an `.onnx` file: `ONNXModelFile(data:url:)`
// (protobuf decoding, initializer checks), `ONNXGraph(file:)` (every node's operator and
// attributes), then, when every graph input has a fixed shape of at most 4,096 elements, a run
// on a fixed input, where shape arithmetic, broadcasting, slicing, resizing and padding meet the
// file's numbers. Built only by scripts/fuzz.sh (`-D MIQA_FUZZ -sanitize=fuzzer,address`).
#if MIQA_FUZZ
import Foundation
import MIQA
import Tensor

private let modelURL = URL(fileURLWithPath: "/fuzz/input.onnx")

/// One libFuzzer execution. Thrown errors are accepted outcomes; crashes, sanitizer reports,
/// timeouts and memory blow-ups are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let file = try? ONNXModelFile(data: Data(bytes: data, count: size), url: modelURL),
          let graph = try? ONNXGraph(file: file) else { return 0 }
    // Fuzzing looks for crashes, not for legal graphs that fill the memory limit: outputs of up
    // to 2^22 values (16 MB) cover every bound check, and u2netp's largest is 6.6 million.
    graph.maxOutputValues = 1 << 22
    var feed: [String: Tensor] = [:]
    for input in file.inputs {
        let dims = input.shape.compactMap { $0 }
        guard dims.count == input.shape.count, dims.allSatisfy({ $0 > 0 && $0 <= 4096 }),
              dims.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) <= 4096 else { return 0 }
        let count = dims.reduce(1, *)
        feed[input.name] = Tensor(shape: dims, values: (0..<count).map { Float($0 % 7) / 7 - 0.4 })
    }
    _ = try? graph.run(feed)
    return 0
}
#else
import Foundation

/// Without the fuzzing build flags there is no libFuzzer to drive the target; say so and fail.
@main
enum FuzzONNXUnavailable {
    static func main() {
        FileHandle.standardError.write(Data("FuzzONNX: build and run it with scripts/fuzz.sh (needs -D MIQA_FUZZ -sanitize=fuzzer,address)\n".utf8))
        exit(2)
    }
}
#endif
