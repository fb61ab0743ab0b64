import Foundation
import Imaging

/// The work of one reference in a generation run: prepared once by the first worker that
/// needs it, then one job per distortion type; the worker finishing the last type writes the
/// scores file and the completion marker.
final class ReferenceJob: @unchecked Sendable {
    // All mutable state is guarded by `lock`; the prepared context is immutable once set.
    let reference: ReferenceImage
    unowned let generator: DatasetGenerator
    private let lock = NSLock()
    private var prepared = false
    private var context: Context?
    private(set) var failure: String?
    private var remaining: Int
    private var rows: [[IQAScoreRow]]

    /// What every type of the reference needs.
    struct Context {
        let image: RGBImage
        let mask: BinaryMask
        let folder: URL
    }

    init(reference: ReferenceImage, generator: DatasetGenerator) {
        self.reference = reference
        self.generator = generator
        remaining = generator.options.types.count
        rows = Array(repeating: [], count: generator.options.types.count)
    }

    /// Runs distortion type number `index` (unless the reference already failed).
    func runType(at index: Int, report: @Sendable (String) -> Void, advance: @Sendable (Int) -> Void) {
        let ctx = preparedContext(report: report)
        var typeRows: [IQAScoreRow] = []
        var typeError: String?
        if let ctx, !hasFailed {
            do {
                typeRows = try distort(ctx, type: generator.options.types[index], advance: advance)
            } catch {
                typeError = DatasetGenerator.describe(error, path: reference.url.path) + " (\(generator.options.types[index].rawValue))"
            }
        }
        lock.lock()
        if let typeError, failure == nil {
            failure = typeError
            report("error: \(typeError)")
        }
        rows[index] = typeRows
        remaining -= 1
        let last = remaining == 0
        lock.unlock()
        if last { finish(ctx, report: report) }
    }

    private var hasFailed: Bool {
        lock.lock(); defer { lock.unlock() }
        return failure != nil
    }

    /// Decodes the reference, checks it, makes its mask and a fresh folder; nil after a failure.
    private func preparedContext(report: @Sendable (String) -> Void) -> Context? {
        lock.lock(); defer { lock.unlock() }
        if prepared { return context }
        prepared = true
        do {
            context = try prepare()
        } catch {
            failure = DatasetGenerator.describe(error, path: reference.url.path)
            report("error: \(failure!)")
        }
        return context
    }

    private func prepare() throws -> Context {
        let layout = generator.layout, options = generator.options
        let image = try ImageDecoder.decode(contentsOf: reference.url)
        guard min(image.width, image.height) >= DatasetGenerator.minimumSide else {
            throw DatasetError.referenceTooSmall(reference: reference.url.path, width: image.width, height: image.height,
                                                 minimum: DatasetGenerator.minimumSide)
        }
        let mask = try ReferenceMask.mask(for: image, id: reference.id, masksFolder: options.masks, method: options.maskMethod,
                                          segmenter: options.segmenter)
        // Whatever is in the folder is a leftover of an unfinished run: start it afresh.
        let folder = layout.folder(reference.id)
        if FileManager.default.fileExists(atPath: folder.path) {
            do { try FileManager.default.removeItem(at: folder) } catch {
                throw DatasetError.writeFailed(path: folder.path, reason: AtomicFile.reason(error))
            }
        }
        try AtomicFile.makeDirectory(folder)
        let copy = layout.sourceImages.appendingPathComponent(reference.url.lastPathComponent)
        let bytes: Data
        do { bytes = try Data(contentsOf: reference.url) } catch {
            throw DatasetError.readFailed(path: reference.url.path, reason: AtomicFile.reason(error))
        }
        try AtomicFile.write(bytes, to: copy)
        return Context(image: image, mask: mask, folder: folder)
    }

    /// The images of one type (one per configuration of the run), written, with their metrics.
    private func distort(_ ctx: Context, type: DistortionType, advance: @Sendable (Int) -> Void) throws -> [IQAScoreRow] {
        let levels = try SeverityLevels.select(reference: ctx.image, type: type, seed: reference.seed)
        let withMSSSIM = min(ctx.image.width, ctx.image.height) >= DatasetGenerator.msSSIMMinimumSide
        var out: [IQAScoreRow] = []
        for config in generator.options.configurations {
            let fg = levels[config.foregroundLevel - 1], bg = levels[config.backgroundLevel - 1]
            let image = config.kind == .uniform ? fg.image
                : RegionFusion.fuse(foreground: fg.image, background: bg.image, mask: ctx.mask)
            let name = config.fileName(referenceID: reference.id, type: type)
            try AtomicFile.write(ImageEncoder.fastPNG(image), to: ctx.folder.appendingPathComponent(name))
            out.append(IQAScoreRow(image: "\(reference.id)/\(name)", distortion: type.rawValue,
                                   foregroundLevel: config.foregroundLevel, backgroundLevel: config.backgroundLevel,
                                   foregroundCandidate: fg.candidate, backgroundCandidate: bg.candidate,
                                   psnr: try QualityMetrics.psnr(ctx.image, image),
                                   ssim: try QualityMetrics.ssim(ctx.image, image),
                                   msSSIM: withMSSSIM ? try QualityMetrics.msSSIM(ctx.image, image) : nil))
            advance(1)
        }
        return out
    }

    /// After the last type: scores file and marker, or removal of a failed reference's folder.
    private func finish(_ ctx: Context?, report: @Sendable (String) -> Void) {
        let layout = generator.layout
        if failure == nil, let ctx {
            do {
                let table = CSVTable(header: IQAScoreRow.header, rows: rows.flatMap { $0.map(\.fields) })
                try AtomicFile.write(table.text, to: layout.iqaScores(reference.id))
                try CompletionMarker.write(layout.completionMarker(reference.id), files: generator.expectedFiles(reference.id))
                if min(ctx.image.width, ctx.image.height) < DatasetGenerator.msSSIMMinimumSide {
                    report("note: \(reference.id): \(ctx.image.width)x\(ctx.image.height) is below \(DatasetGenerator.msSSIMMinimumSide) px on a side; ms_ssim left empty")
                }
                return
            } catch {
                lock.lock()
                failure = DatasetGenerator.describe(error, path: reference.url.path)
                lock.unlock()
                report("error: \(failure!)")
            }
        }
        // A failed reference leaves neither folder nor reference copy behind (frees space on a
        // full disk; a restart redoes it). Also when preparing failed half-way (the folder made,
        // the copy not written): a pending reference's folder is never worth keeping.
        if prepared {
            try? FileManager.default.removeItem(at: layout.folder(reference.id))
            try? FileManager.default.removeItem(at: layout.sourceImages.appendingPathComponent(reference.url.lastPathComponent))
        }
    }
}
