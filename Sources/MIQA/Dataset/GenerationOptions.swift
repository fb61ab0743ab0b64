import Foundation

/// What `DatasetGenerator` makes: `miqa dataset generate`'s options.
public struct GenerationOptions: Sendable {
    /// Folder of reference images.
    public var references: URL
    /// Database root (created if needed).
    public var root: URL
    /// Task the database is for (`cls`, `det` or `ins`); recorded in `ROOT/dataset.json` so that
    /// one root never mixes tasks. It does not change the images.
    public var task: String
    /// Folder of user masks `<id>_binary_mask.png`; references without one use `maskMethod`.
    public var masks: URL?
    /// Mask of references without a user mask.
    public var maskMethod: MaskMethod
    /// The segmenter of `maskMethod == .u2netp` (`SalientObjectSegmenter.load("u2netp")`).
    public var segmenter: SalientObjectSegmenter?
    /// Distortion types to generate, in this order (default all 10).
    public var types: [DistortionType]
    /// Worker threads; each works on one (reference, type) pair at a time.
    public var threads: Int
    /// Only the first `limit` references of the sorted list (seeds stay those of the full list).
    public var limit: Int?
    /// Region configurations per type, in MIQD order (default all 25; `RegionConfiguration.subset`).
    /// The levels and their seeds do not depend on it: a subset's images are byte-identical to
    /// the same files of a full run.
    public var configurations: [RegionConfiguration]

    public init(references: URL, root: URL, task: String = "cls", masks: URL? = nil,
                maskMethod: MaskMethod = .spectralResidual, types: [DistortionType] = DistortionType.allCases,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, limit: Int? = nil,
                configurations: [RegionConfiguration] = RegionConfiguration.all, segmenter: SalientObjectSegmenter? = nil) {
        self.references = references
        self.root = root
        self.task = task
        self.masks = masks
        self.maskMethod = maskMethod
        self.segmenter = segmenter
        self.types = types
        self.threads = max(1, threads)
        self.limit = limit
        self.configurations = configurations.isEmpty ? RegionConfiguration.all : configurations
    }
}

/// What a generation run did.
public struct GenerationSummary: Sendable {
    /// References generated in this run.
    public var generated: [String] = []
    /// References skipped because they were already complete.
    public var skipped: [String] = []
    /// References that failed, with a one-line message each.
    public var failed: [(id: String, message: String)] = []
    /// Distorted images written in this run.
    public var imagesWritten = 0
}
