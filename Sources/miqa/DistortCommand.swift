import ArgumentParser
import Foundation
import Imaging
import MIQA

struct Distort: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply one of the 10 MIQD distortions to an image.",
        discussion: """
            Types: gaussian_noise, glass_blur, motion_blur, defocus_blur, contrast, pixelate, jpeg_compression,
            darkness, snow, fog.
            Choose the strength with exactly one of:
              --candidate K   one of the 12 MIQD candidate parameters (0 = weakest, 11 = strongest)
              --param P       explicit parameter values, comma-separated (e.g. --param 0.05 for gaussian_noise)
              --level L       MIQD severity level 1..5: the 12 candidates ranked by PSNR against the image,
                              ranks 1, 5, 8, 10, 12 kept (as the database does)
            Accepted --param ranges (a few times the strongest candidate):
            \(DistortParameterRange.helpLines.joined(separator: "\n"))
            The same --seed gives the same output. The output format follows -o's extension (.png or .jpg).

            Example: miqa distort photo.jpg --type motion_blur --level 3 --seed 1 -o blurred.png
            """
    )

    @Argument(help: "The reference image.")
    var image: String

    @Option(help: "Distortion type.")
    var type: String

    @Option(help: "Candidate index 0..11.")
    var candidate: Int?

    @Option(help: "Explicit parameter values, comma-separated, each in its range (see above).")
    var param: String?

    @Option(help: "Severity level 1..5 (PSNR-ranked candidates).")
    var level: Int?

    @Option(help: "Random seed, any 64-bit unsigned integer (the database uses reference index + 1).")
    var seed: UInt64 = 1

    @Option(name: .shortAndLong, help: "Output image (.png or .jpg).")
    var output: String

    func validate() throws {
        guard DistortionType(rawValue: type) != nil else {
            throw ValidationError("unknown --type '\(type)'; one of \(DistortionType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let chosen = [candidate != nil, param != nil, level != nil].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("give exactly one of --candidate, --param, --level") }
        if let candidate, !(0..<12).contains(candidate) { throw ValidationError("--candidate must be 0..11") }
        if let level, !(1...5).contains(level) { throw ValidationError("--level must be 1..5") }
        if let param, let kind = DistortionType(rawValue: type), case .failure(let problem) = DistortParameterRange.parse(param, type: kind) {
            throw ValidationError(problem.message)
        }
        try PathCheck.readableFile(image, option: "image")
        try PathCheck.outputFile(output, option: "-o", atomic: true)
    }

    func run() throws {
        guard let kind = DistortionType(rawValue: type) else { throw ExitCode(2) }  // validate() refused it already
        do {
            let reference = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: image))
            let result: RGBImage
            var note = ""
            if let level {
                let levels = try SeverityLevels.select(reference: reference, type: kind, seed: seed)
                let chosen = levels[level - 1]
                result = chosen.image
                note = String(format: "level %d = candidate %d, PSNR %.2f dB", level, chosen.candidate, chosen.psnr)
            } else if let candidate {
                result = try Distortion(type: kind, candidate: candidate).apply(to: reference, seed: seed)
                note = "candidate \(candidate) = \(kind.candidates[candidate])"
            } else {
                guard let param, case .success(let values) = DistortParameterRange.parse(param, type: kind) else { throw ExitCode(2) }
                result = try Distortion(type: kind, parameter: values).apply(to: reference, seed: seed)
                note = "parameter \(values)"
            }
            let ext = (output as NSString).pathExtension.lowercased()
            let data = ["jpg", "jpeg"].contains(ext) ? ImageEncoder.jpeg(result, quality: 95) : ImageEncoder.png(result)
            do { try data.write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                printError("error: \(output): cannot write: \(PathCheck.reason(error))")
                throw ExitCode(1)
            }
            let psnr = (try? QualityMetrics.psnr(reference, result)).map { String(format: ", PSNR %.2f dB", $0) } ?? ""
            printError("\(kind.rawValue): \(note)\(level == nil ? psnr : "") -> \(output)")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("error: \(image): \(PathCheck.message(error))")
            throw ExitCode(1)
        }
    }
}
