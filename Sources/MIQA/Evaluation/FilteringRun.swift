import Foundation
import Imaging

/// The machines of a filtering test: classifiers or detectors.
public enum FilteringMachines {
    case classifiers([ClassifierMachine])
    case detectors([DetectorMachine])

    public var names: [String] {
        switch self {
        case let .classifiers(m): return m.map(\.name)
        case let .detectors(m): return m.map(\.name)
        }
    }
}

/// Collects `FilteringSample`s: runs the predictor and the machines over every distorted image
/// of a `FilteringInput` and the machines over each reference. A file that cannot be used fails
/// only itself (a reference fails its group) and is reported; the rest goes on.
///
/// Detectors are scored as the det labels are (`DetectionLabeller`): COCO box AP of their
/// detections on the image (probability above 0.005) against their detections on the reference
/// (above 0.5); a reference in which a detector finds nothing fails its group.
public struct FilteringRun {
    public var predictor: Predictor
    public var machines: FilteringMachines
    public var batchSize = 8
    public var maxPixels = ImageDecoder.defaultMaxPixels

    /// The samples and one message per image (or reference) that could not be used.
    public struct Outcome {
        public var samples: [FilteringSample] = []
        public var failures: [String] = []
    }

    public init(predictor: Predictor, machines: [ClassifierMachine]) {
        self.init(predictor: predictor, machines: .classifiers(machines))
    }

    public init(predictor: Predictor, machines: FilteringMachines) {
        self.predictor = predictor
        self.machines = machines
    }

    /// Runs everything; `progress` gets the number of images finished (or given up) since its last call.
    public func run(_ input: FilteringInput, progress: (Int) -> Void = { _ in }) -> Outcome {
        var outcome = Outcome()
        for group in input.groups {
            do {
                try run(group, into: &outcome, progress: progress)
            } catch {
                outcome.failures.append("\(group.reference.path): \(error) (its \(group.images.count) distorted images left out)")
                progress(group.images.count)
            }
        }
        return outcome
    }

    private func run(_ group: FilteringInput.Group, into outcome: inout Outcome, progress: (Int) -> Void) throws {
        let reference = try ImageDecoder.decode(contentsOf: group.reference, maxPixels: maxPixels)
        let referenceScore = Double(predictor.scores([reference])[0])
        guard referenceScore.isFinite else {
            throw DatasetError.readFailed(path: group.reference.path, reason: "the predictor's output on it is not a finite number (\(referenceScore))")
        }
        // Each machine's answer on the clean image.
        let outcomes: ([RGBImage]) throws -> [[FilteringResult.Metric: [Double]]]
        switch machines {
        case let .classifiers(classifiers):
            let topClasses = try classifiers.map { machine -> Int in
                guard let p = try machine.probabilities([reference]).first else { return 0 }
                return LabelFormulas.topClass(p)
            }
            outcomes = { images in
                let probabilities = try classifiers.map { try $0.probabilities(images) }
                return images.indices.map { i in
                    [.consistency: classifiers.indices.map { m in probabilities[m][i][topClasses[m]] },  // LabelFormulas.consistency
                     .agreement: classifiers.indices.map { m in LabelFormulas.topClass(probabilities[m][i]) == topClasses[m] ? 1.0 : 0.0 }]
                }
            }
        case let .detectors(detectors):
            let truths = detectors.map { m in
                DetectionLabeller.truth(m.detect(reference, threshold: DetectionLabeller.referenceThreshold, nms: ObjectDetector.defaultNMS),
                                        width: reference.width, height: reference.height)
            }
            if let blind = truths.firstIndex(where: \.isEmpty) {
                throw DatasetError.readFailed(path: group.reference.path, reason: "\(detectors[blind].name) finds no object in it (probability > \(DetectionLabeller.referenceThreshold))")
            }
            outcomes = { images in
                images.map { image in
                    let results = detectors.indices.map { m -> AveragePrecision.Result in
                        let found = DetectionLabeller.scored(detectors[m].detect(image, threshold: DetectionLabeller.scoreThreshold, nms: ObjectDetector.defaultNMS),
                                                             width: image.width, height: image.height)
                        return AveragePrecision.coco(truth: truths[m], detections: found)!
                    }
                    return [.ap: results.map(\.ap), .ap75: results.map(\.ap75)]
                }
            }
        }
        var start = 0
        while start < group.images.count {
            let slice = group.images[start..<min(group.images.count, start + batchSize)]
            start += slice.count
            var decoded: [(FilteringInput.Item, RGBImage)] = []
            for item in slice {
                do {
                    let image = try ImageDecoder.decode(contentsOf: item.url, maxPixels: maxPixels)
                    guard image.width == reference.width, image.height == reference.height else {
                        throw DatasetError.readFailed(path: item.url.path, reason: "image is \(image.width)x\(image.height) but its reference \(group.reference.lastPathComponent) is \(reference.width)x\(reference.height)")
                    }
                    decoded.append((item, image))
                } catch let error as DatasetError {
                    outcome.failures.append("\(error)")
                } catch {
                    outcome.failures.append("\(item.url.path): \(error)")
                }
            }
            guard !decoded.isEmpty else { progress(slice.count); continue }
            let images = decoded.map(\.1)
            let scores = predictor.scores(images)
            let machineOutcomes = try outcomes(images)
            for (i, (item, image)) in decoded.enumerated() {
                let score = Double(scores[i])
                guard score.isFinite else {
                    outcome.failures.append("\(item.url.path): the predictor's output is not a finite number (\(score))")
                    continue
                }
                outcome.samples.append(FilteringSample(
                    image: item.name, referenceID: group.referenceID, score: score, referenceScore: referenceScore,
                    sharpness: LaplacianSharpness.variance(image), psnr: try QualityMetrics.psnr(image, reference),
                    severity: item.severity, outcomes: machineOutcomes[i]))
            }
            progress(slice.count)
        }
    }
}
