import Foundation
import Imaging

/// `miqa filter`: score images and keep the good ones — copied, linked or moved into a folder,
/// or listed. Bad files are reported and never touched; an existing file in the destination is
/// never overwritten.
public struct FilterJob {
    /// What happens to a kept image.
    public enum Mode: String, CaseIterable, Sendable {
        /// Copy into the destination (through a temporary name, so a crash leaves no half file).
        case copy
        /// A symbolic link in the destination to the image's absolute path.
        case link
        /// Move into the destination (rename; copy then delete across file systems).
        case move
        /// Print the kept paths on standard output; nothing is written.
        case list
    }

    /// Which images are kept.
    public enum Rule: Sendable, Equatable {
        /// Scores strictly above the threshold: decided per image, as results stream in.
        case keepAbove(Double)
        /// Drop the lowest fraction of the scored images (`FilteringCurve.dropCount`, ties in
        /// input order): decided once every image is scored.
        case dropLowest(Double)
    }

    /// One decision, as reported.
    public struct Decision: Sendable, Equatable {
        public enum Outcome: String, Sendable { case kept, dropped, failed }
        public var outcome: Outcome
        public var path: String
        public var score: Float?
        /// nil = kept; otherwise why not ("score 0.21 <= 0.45", "lowest 30%", or the error).
        public var reason: String?
        /// Where it went (copy, link, move).
        public var destination: String?
    }

    public struct Summary: Sendable {
        public var kept = 0
        public var dropped = 0
        /// Images that could not be scored, or kept ones that could not be placed.
        public var failed = 0
    }

    public var inputs: [String]
    public var recursive = false
    public var rule: Rule
    public var mode: Mode
    /// Destination folder (not needed for `list`).
    public var destination: URL?
    public var batchSize = 8
    public var maxPixels = ImageDecoder.defaultMaxPixels

    public init(inputs: [String], rule: Rule, mode: Mode, destination: URL?) {
        self.inputs = inputs
        self.rule = rule
        self.mode = mode
        self.destination = destination
    }

    /// Runs the job; `report` gets every decision in input order (kept ones after they are
    /// placed), `progress` the number of images scored so far and the total.
    public func run(predictor: Predictor, report: (Decision) -> Void, progress: (Int, Int) -> Void = { _, _ in }) throws -> Summary {
        if mode != .list {
            guard let destination else { throw DatasetError.missing("--to is needed unless --mode list") }
            try AtomicFile.makeDirectory(destination)
        }
        let (files, errors) = InputCollection.expand(inputs, recursive: recursive)
        var summary = Summary()
        for e in errors {
            summary.failed += 1
            report(Decision(outcome: .failed, path: e.path, score: nil, reason: e.error ?? "unreadable"))
        }
        let targets = destinationNames(files)
        let pipeline = ScoringPipeline(predictor: predictor, batchSize: batchSize, maxPixels: maxPixels)
        var scored: [(index: Int, result: ImageScore)] = []
        var done = 0
        pipeline.run(files) { result, _ in
            done += 1
            progress(done, files.count)
            let index = done - 1
            guard let score = result.score, score.isFinite else {
                summary.failed += 1
                report(Decision(outcome: .failed, path: result.path, score: nil,
                                reason: result.error ?? "the predictor's output is not a finite number"))
                return
            }
            if case let .keepAbove(threshold) = rule {
                if Double(score) > threshold {
                    report(place(result, target: targets[index], summary: &summary))
                } else {
                    summary.dropped += 1
                    report(Decision(outcome: .dropped, path: result.path, score: score, reason: "score \(String(format: "%.4f", score)) <= \(threshold)"))
                }
            } else {
                scored.append((index, result))
            }
        }
        if case let .dropLowest(fraction) = rule {
            let order = FilteringCurve.dropOrder(keys: scored.map { Double($0.result.score!) })
            let dropped = Set(order.prefix(FilteringCurve.dropCount(fraction: fraction, of: scored.count)))
            for (k, item) in scored.enumerated() {
                if dropped.contains(k) {
                    summary.dropped += 1
                    report(Decision(outcome: .dropped, path: item.result.path, score: item.result.score, reason: "among the lowest \(Int((fraction * 100).rounded()))%"))
                } else {
                    report(place(item.result, target: targets[item.index], summary: &summary))
                }
            }
        }
        return summary
    }

    /// Destination names: the path below the folder argument it was found in (so that
    /// `a/x.jpg` and `b/x.jpg` of a recursive scan stay apart), the file name for files named
    /// directly; a second image with the same name gets `_2`, `_3`, ... before its extension.
    func destinationNames(_ files: [String]) -> [String] {
        let folders = inputs.filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && d.boolValue }
            .map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var used = Set<String>()
        return files.map { file in
            let full = URL(fileURLWithPath: file).standardizedFileURL.path
            var name = (file as NSString).lastPathComponent
            if let folder = folders.first(where: { full.hasPrefix($0 + "/") }) { name = String(full.dropFirst(folder.count + 1)) }
            var candidate = name, n = 2
            while used.contains(candidate) {
                let ext = (name as NSString).pathExtension, stem = (name as NSString).deletingPathExtension
                candidate = "\(stem)_\(n)" + (ext.isEmpty ? "" : ".\(ext)")
                n += 1
            }
            used.insert(candidate)
            return candidate
        }
    }

    /// Copies, links or moves one kept image (or lists it); a failure is a failed decision.
    func place(_ result: ImageScore, target: String, summary: inout Summary) -> Decision {
        var decision = Decision(outcome: .kept, path: result.path, score: result.score, reason: nil)
        guard mode != .list, let destination else {
            summary.kept += 1
            return decision
        }
        let to = destination.appendingPathComponent(target)
        let fm = FileManager.default
        do {
            if fm.fileExists(atPath: to.path) || (try? fm.destinationOfSymbolicLink(atPath: to.path)) != nil {
                throw DatasetError.writeFailed(path: to.path, reason: "already exists; not overwritten")
            }
            try AtomicFile.makeDirectory(to.deletingLastPathComponent())
            let source = URL(fileURLWithPath: result.path).standardizedFileURL
            switch mode {
            case .copy:
                try AtomicFile.write(try Data(contentsOf: source), to: to)
            case .link:
                if symlink(source.path, to.path) != 0 {
                    throw DatasetError.writeFailed(path: to.path, reason: String(cString: strerror(errno)))
                }
            case .move:
                if rename(source.path, to.path) != 0 {
                    guard errno == EXDEV else { throw DatasetError.writeFailed(path: to.path, reason: String(cString: strerror(errno))) }
                    // Another file system: copy completely first, delete the original only then.
                    try AtomicFile.write(try Data(contentsOf: source), to: to)
                    if unlink(source.path) != 0 {
                        throw DatasetError.writeFailed(path: source.path, reason: "copied to \(to.path) but not removed: \(String(cString: strerror(errno)))")
                    }
                }
            case .list:
                break
            }
            decision.destination = to.path
            summary.kept += 1
        } catch {
            summary.failed += 1
            decision.outcome = .failed
            decision.reason = "\(error)"
        }
        return decision
    }
}
