import Foundation

/// Every installable detector, whatever its kind: the Darknet ones (`DetectorFetch`, COCO
/// objects) and the face detector MTCNN (`FaceDetectorFetch`). Commands and labellers name
/// detectors through this, so a new kind is added in one place.
public enum Detectors {
    /// The names `miqa weights fetch` installs as detectors, sorted.
    public static var names: [String] { (Array(DetectorFetch.sources.keys) + Array(FaceDetectorFetch.packages.keys)).sorted() }

    /// Whether `name` is a detector (rather than a classifier).
    public static func isDetector(_ name: String) -> Bool { names.contains(name) }

    /// Loads the installed detector `name`, its weights checked against its card.
    public static func load(_ name: String, store: ModelStore = ModelStore()) throws -> DetectorMachine {
        guard isDetector(name) else {
            throw DetectorError.notAvailable("no detector named '\(name)'; detectors: \(names.joined(separator: ", "))")
        }
        if FaceDetectorFetch.packages[name] != nil { return try FaceDetector.load(name, store: store) }
        return try ObjectDetector.load(name, store: store)
    }
}
