// libFuzzer target: the MIQD CSV readers. Every input goes through `CSVTable(text:name:)`; the
// first byte then picks one of the file readers built on it, which gets the rest as its file:
// MIQDSplits, MIQDLabels (cls mmos files; det consistency/accuracy pairs), IQAScoreRow,
// GroundTruth. Built only by scripts/fuzz.sh (`-D MIQA_FUZZ -sanitize=fuzzer,address`).
#if MIQA_FUZZ
import Foundation
import MIQA

/// A private directory for the files the readers insist on opening by path, removed at exit.
private let workDirectory: URL = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-fuzz-csv-\(getpid())")
    try? FileManager.default.createDirectory(at: dir.appendingPathComponent("labels"), withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: workDirectory) }
    return dir
}()

/// The readers a fuzz input can be routed to, by its first byte.
private enum Reader: UInt8, CaseIterable {
    case splits, classificationLabels, detectionLabels, iqaScores, groundTruth
}

private let labelKinds = ["composite", "consistency", "accuracy"]

/// One libFuzzer execution. Byte 0: reader (`% 5`) and, for the label readers, which label
/// (`/ 5 % 3`). For detection labels the rest is split at the first NUL into the consistency
/// and the accuracy file (the same text for both when there is none). A thrown `DatasetError`
/// is an accepted outcome; crashes, sanitizer reports, timeouts and memory blow-ups are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let all = Data(bytes: data, count: size)
    if let table = try? CSVTable(text: String(decoding: all, as: UTF8.self), name: "fuzz-input.csv") {
        for row in table.rows where row.count != table.header.count {
            fatalError("CSVTable row has \(row.count) fields, the header \(table.header.count)")
        }
    }
    guard size >= 1, let reader = Reader(rawValue: data[0] % 5) else { return 0 }
    let label = labelKinds[Int(data[0] / 5 % 3)]
    let body = all.dropFirst()
    let dir = workDirectory
    func file(_ path: String, _ contents: Data) -> URL {
        let url = dir.appendingPathComponent(path)
        try? contents.write(to: url)
        return url
    }
    switch reader {
    case .splits:
        _ = try? MIQDSplits.load(file("split.csv", body))
    case .classificationLabels:
        _ = file("labels/r_mmos.csv", body)
        _ = try? MIQDLabels.load(root: dir, task: "cls", label: label, references: ["r"])
    case .detectionLabels:
        let cut = body.firstIndex(of: 0)
        _ = file("labels/r_consistency.csv", cut.map { body[body.startIndex..<$0] } ?? body)
        _ = file("labels/r_accuracy.csv", cut.map { body[($0 + 1)...] } ?? body)
        _ = try? MIQDLabels.load(root: dir, task: "det", label: label, references: ["r"])
    case .iqaScores:
        _ = try? IQAScoreRow.read(file("iqa_scores.csv", body))
    case .groundTruth:
        _ = try? GroundTruth.load(csv: file("ground_truth.csv", body))
    }
    return 0
}
#else
import Foundation

/// Without the fuzzing build flags there is no libFuzzer to drive the target; say so and fail
/// rather than look like a program that did something.
@main
enum FuzzCSVUnavailable {
    static func main() {
        FileHandle.standardError.write(Data("FuzzCSV: build and run it with scripts/fuzz.sh (needs -D MIQA_FUZZ -sanitize=fuzzer,address)\n".utf8))
        exit(2)
    }
}
#endif
