// libFuzzer target: the pickle virtual machine on its own, as the zip and legacy readers drive
// it (torch persistent ids, state-dict selection), over every pickle the input holds back to back.
// Built only by scripts/fuzz.sh (`-D MIQA_FUZZ -sanitize=fuzzer,address`); see docs/fuzzing.md.
#if MIQA_FUZZ
import Foundation
@testable import Checkpoints

private let inputURL = URL(fileURLWithPath: "/fuzz/input.pkl")

/// One libFuzzer execution: unpickles `data[0..<size]`; any Swift error is an accepted outcome,
/// a crash, sanitizer report, timeout or memory blow-up is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPickle(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    var start = 0
    // Legacy checkpoints are several pickles in a row; keep going while each one parses, so that
    // the later ones (sys info, object, key list) are reached from one seed.
    while start < size {
        let ids = TorchPersistentID(url: inputURL)
        guard let run = try? PickleMachine.unpickle(raw, start: start, url: inputURL, persistentLoad: ids.load, extract: {
            StateDictSelection.select($0)?.count ?? 0
        }), run.end > start else { break }
        start = run.end
    }
    return 0
}
#else
import Foundation

/// Without the fuzzing build flags there is no libFuzzer to drive the target; say so and fail
/// rather than look like a program that did something.
@main
enum FuzzPickleUnavailable {
    static func main() {
        FileHandle.standardError.write(Data("FuzzPickle: build and run it with scripts/fuzz.sh (needs -D MIQA_FUZZ -sanitize=fuzzer,address)\n".utf8))
        exit(2)
    }
}
#endif
