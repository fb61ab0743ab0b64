import Foundation
import Imaging
import Tensor
import Tensor

/// Builds an MIQD-style database from a folder of references (`miqa dataset generate`).
///
/// For each reference (sorted by file name; index i has seed i + 1) and each distortion type,
/// `SeverityLevels.select` gives 5 uniform levels; the 25 `RegionConfiguration`s are the level
/// images themselves (uniform) or `RegionFusion` of two levels through the reference's mask.
/// Files follow `MIQDLayout`. Work is split into (reference, type) jobs run by `threads` workers.
///
/// Resuming: a reference is skipped when its completion marker lists exactly this run's files
/// and they all exist (`CompletionMarker`). Any other existing folder of a pending reference is
/// a leftover of an interrupted or failed run and is deleted before the reference is redone.
/// Every file is written under a temporary name and renamed, and the marker is written last.
///
/// One run at a time per root: `run` holds the root's `DirectoryLock` (shared with
/// `DatasetLabeller`), so a second `dataset generate` or `dataset label` on the same root waits
/// and then resumes (finding the work done) instead of deleting folders the first is filling.
///
/// Failures (unreadable or too small reference, wrong-size mask, write errors) fail only their
/// reference: its folder is removed, a one-line message is reported and the rest goes on.
public final class DatasetGenerator {
    /// Smallest reference side we accept. Every distortion and the saliency mask run on smaller
    /// images, but below this the 5 PSNR-ranked levels and the 65 px feathered fusion stop
    /// meaning anything (the feather covers the whole image); 32 px is a clear, documented floor.
    public static let minimumSide = 32
    /// Smallest side for which `ms_ssim` is computed (5-scale MS-SSIM's 11 px window at 1/16 scale).
    public static let msSSIMMinimumSide = 176

    public let options: GenerationOptions
    public let layout: MIQDLayout

    public init(options: GenerationOptions) {
        self.options = options
        self.layout = MIQDLayout(root: options.root)
    }

    /// The references this run covers (after `limit`), in order.
    public func references() throws -> [ReferenceImage] {
        let all = try ReferenceImage.list(in: options.references)
        return options.limit.map { Array(all.prefix(max(0, $0))) } ?? all
    }

    /// File names (inside `images/<id>/`) a finished reference has for this run's types.
    public func expectedFiles(_ id: String) -> [String] {
        MIQDLayout.distortedFileNames(id: id, types: options.types, configurations: options.configurations)
    }

    /// Whether reference `id` is finished for this run's types.
    public func isComplete(_ id: String) -> Bool {
        let marker = layout.completionMarker(id)
        return CompletionMarker.read(marker) == expectedFiles(id) && CompletionMarker.isComplete(marker)
    }

    /// Generates every pending reference.
    /// - Parameters:
    ///   - willStart: called once with the pending references and the number of images they will produce.
    ///   - progress: called (serialised) with the number of images just written.
    ///   - log: called (serialised) with one-line messages: failures (`error: ...`) and notes (`note: ...`).
    /// - Throws: only when the run cannot start (references folder unreadable or without images, duplicate ids,
    ///   root not writable, root made for another task); per-reference problems are in the summary.
    public func run(willStart: ([ReferenceImage], Int) -> Void = { _, _ in },
                    progress: @escaping (Int) -> Void = { _ in },
                    log: @escaping (String) -> Void = { _ in }) throws -> GenerationSummary {
        let refs = try references()
        guard !refs.isEmpty else {
            throw DatasetError.missing("\(options.references.path): no reference images (\(ReferenceImage.extensions.sorted().joined(separator: ", ")))")
        }
        try AtomicFile.makeDirectory(layout.root)
        let lock = try DirectoryLock.acquire(layout.root)
        defer { lock.release() }
        try prepareRoot()
        var summary = GenerationSummary()
        var pending: [ReferenceImage] = []
        for r in refs {
            if isComplete(r.id) { summary.skipped.append(r.id) } else { pending.append(r) }
        }
        willStart(pending, pending.count * options.types.count * options.configurations.count)
        if pending.isEmpty || options.types.isEmpty {
            summary.generated = options.types.isEmpty ? [] : pending.map(\.id)
            return summary
        }

        // Workers run whole distortions; the distortions' own row-parallel loops would only
        // oversubscribe the cores, so they run single-threaded while several workers are busy.
        let savedThreads = ComputeThreads.count
        if options.threads > 1 { ComputeThreads.set(1) }
        defer { if options.threads > 1 { ComputeThreads.set(savedThreads) } }

        // Every image passes through several float64 copies (metrics, fusion) of a few MB each;
        // glibc would serve each with a fresh `mmap` and the kernel then zero-fills it page by
        // page (a quarter of the run's CPU time, measured).
        HeapPolicy.keepLargeBlocks()
        let states = pending.map { ReferenceJob(reference: $0, generator: self) }
        let typeCount = options.types.count
        let serial = NSLock()
        nonisolated(unsafe) var written = 0
        // The caller's callbacks run on the workers, but only under `serial`: one at a time.
        let callbacks = Handoff((log: log, progress: progress))
        let report: @Sendable (String) -> Void = { message in serial.lock(); callbacks.value.log(message); serial.unlock() }
        let advance: @Sendable (Int) -> Void = { n in serial.lock(); written += n; callbacks.value.progress(n); serial.unlock() }
        WorkerPool.run(count: states.count * typeCount, threads: options.threads) { job in
            states[job / typeCount].runType(at: job % typeCount, report: report, advance: advance)
        }
        for s in states {
            if let message = s.failure { summary.failed.append((s.reference.id, message)) } else { summary.generated.append(s.reference.id) }
        }
        summary.imagesWritten = written
        return summary
    }

    /// Creates the root folders, removes temporaries left in them and records the task.
    /// Called with the root's lock held (other runs' temporaries would otherwise be deleted).
    func prepareRoot() throws {
        for dir in [layout.root, layout.images, layout.sourceImages] { try AtomicFile.makeDirectory(dir) }
        AtomicFile.removeTemporaries(in: layout.root)
        AtomicFile.removeTemporaries(in: layout.sourceImages)
        let infoURL = layout.root.appendingPathComponent("dataset.json")
        if let data = try? Data(contentsOf: infoURL),
           let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let task = info["task"] as? String, task != options.task {
            throw DatasetError.missing("\(infoURL.path): this root holds a '\(task)' database; use another --out for --task \(options.task)")
        }
        let info: [String: Any] = ["task": options.task, "generator": "miqa dataset generate", "format": 1]
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: info, options: [.sortedKeys]), to: infoURL)
    }

    /// The `error` text of a failure, naming `path` unless the error already does.
    static func describe(_ error: Error, path: String) -> String {
        let text = "\(error)"
        return text.contains(path) ? text : "\(path): \(text)"
    }
}
