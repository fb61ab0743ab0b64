import ArgumentParser
import Foundation
import MIQA
import MIQAVideo

/// `miqa video`: the original's video analytics (sampled, per-second) and annotated videos.
struct Video: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score videos for machines: sampled per-second analytics, charts, annotated copies.",
        discussion: """
            Videos are read with the ffmpeg and ffprobe programs (FFmpeg must be installed). Rotated phone \
            videos are turned upright, 10-bit and other pixel formats are converted to 8-bit RGB.
            """,
        subcommands: [Analyze.self, Annotate.self]
    )

    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sample frames of each video, score them and aggregate per second (the original's video analytics).",
            discussion: """
                Each INPUT is a video (.mp4 .avi .mov .mkv .webm ...), an image (scored as an image, as the \
                original does) or a folder (its images, then its videos; not recursive). From each video --frames \
                frames are sampled uniformly (indices int(i * total / N); every frame when it has fewer) and scored; \
                the scores are grouped by whole second (int(timestamp)) into mean, min, max and std; the video's \
                average, min, max and std are over the per-second means.

                --output writes the original's JSON ({metadata, predictions: [{video_path, video_name, type, \
                metadata, frame_results, per_second_results, num_frames_analyzed, num_seconds, average_quality, \
                min_quality, max_quality, std_quality}]}); --plot-dir writes a chart per video, \
                <stem>_<label>_quality_<frame|second|comparison>.png.

                Exit status: 0 all inputs analysed, 1 some failed (the others are still reported), 2 usage errors \
                or no usable model.

                Examples:
                  miqa video analyze clip.mp4 --model ra_miqa --task cls
                  miqa video analyze clip.mp4 --frames 120 --granularity both --plot-dir charts --output clip.json
                  miqa video analyze videos/ --model resnet50 --task det --output results.json --no-progress
                """
        )

        @Argument(help: "Videos, images or folders.")
        var inputs: [String]

        @Option(help: "Frames sampled per video, 1...100000.")
        var frames: Int = 50

        @Option(help: "Chart content: frame, second (per-second means with a ± std band) or both side by side.")
        var granularity: ChartGranularity = .second

        @OptionGroup var modelOptions: ModelOptions
        @OptionGroup var threadOptions: ThreadOptions

        @Option(help: "Write the results as JSON to this file (- for standard output).")
        var output: String?

        @Option(help: "Write a PNG chart per video into this folder.")
        var plotDir: String?

        @Option(help: "Frames per forward pass, 1...4096.")
        var batchSize: Int = 8

        @Flag(help: "No progress bar on stderr (it is shown only on a terminal anyway).")
        var noProgress = false

        @Flag(help: "Print per video the wall time and the share spent outside the model on stderr.")
        var timing = false

        func validate() throws {
            try NumericRange.check("--frames", frames, in: 1...100_000)
            try NumericRange.check("--batch-size", batchSize, in: NumericRange.batchSize)
            if let output, output != "-" { try PathCheck.outputFile(output, option: "--output", atomic: true) }
            if let plotDir { try PathCheck.outputFolder(plotDir, option: "--plot-dir") }
        }

        func run() throws {
            threadOptions.apply()
            let predictor = try modelOptions.predictorOrExit()
            var job = AnalyzeJob(inputs: inputs)
            job.frames = frames
            job.granularity = granularity
            job.output = output
            job.plotDirectory = plotDir
            job.batchSize = batchSize
            job.showProgress = !noProgress
            job.timing = timing
            let outcome: AnalyzeJob.Outcome
            do { outcome = try job.run(predictor: predictor) } catch {
                // The JSON or a chart could not be written: say where, exit 1.
                printError("error: \(PathCheck.message(error))")
                throw ExitCode(1)
            }
            if outcome.failed > 0 { throw ExitCode(1) }
        }
    }

    struct Annotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a copy of each video with a quality sidebar: task, score, frame counter and a growing chart.",
            discussion: """
                The output is an H.264 MP4 (yuv420p) named <stem>_annotated.mp4 in --output-dir, with the same frame \
                rate and number of frames as the source, 480 px wider (a black sidebar; 481 when the width is odd, \
                and an odd height gets one black row, because 4:2:0 video needs even sizes), and the source's audio \
                (copied, or re-encoded to AAC when MP4 cannot hold its codec). The file is written under a temporary \
                name and renamed when complete. Two inputs that would get the same output name (clip.mp4 and \
                clip.webm) are refused before anything is decoded (exit 2): annotate them into different folders.

                Exit status: 0 all videos written, 1 some failed, 2 usage errors or no usable model.

                Examples:
                  miqa video annotate clip.mp4 --model ra_miqa --task det --output-dir annotated
                  miqa video annotate clip.mp4 --every 5     # score every 5th frame, hold the score between
                """
        )

        @Argument(help: "Videos or folders of videos.")
        var inputs: [String]

        @Option(help: "Folder for the annotated videos.")
        var outputDir: String = "."

        @OptionGroup var modelOptions: ModelOptions
        @OptionGroup var threadOptions: ThreadOptions

        @Option(help: "Score every K-th frame (1: every frame), 1...100000; frames between show the last score.")
        var every: Int = 1

        @Option(help: "Frames per forward pass, 1...4096.")
        var batchSize: Int = 8

        @Flag(help: "No progress bar on stderr.")
        var noProgress = false

        func validate() throws {
            try NumericRange.check("--every", every, in: 1...100_000)
            try NumericRange.check("--batch-size", batchSize, in: NumericRange.batchSize)
            try PathCheck.outputFolder(outputDir, option: "--output-dir")
            // Two inputs with one stem (clip.mp4, clip.webm) would both be written to clip_annotated.mp4.
            if let clash = VideoAnnotator.outputCollision(for: MediaInputs.expand(inputs).compactMap {
                if case .video(let p) = $0 { return p } else { return nil }
            }, in: outputDir) {
                throw ValidationError("""
                    \(clash.first) and \(clash.second) would both be written to \(clash.output); \
                    annotate them in separate runs or with different --output-dir
                    """)
            }
        }

        func run() throws {
            threadOptions.apply()
            let predictor = try modelOptions.predictorOrExit()
            var job = AnnotateJob(inputs: inputs)
            job.outputDirectory = outputDir
            job.every = every
            job.batchSize = batchSize
            job.showProgress = !noProgress
            let outcome: AnnotateJob.Outcome
            do { outcome = try job.run(predictor: predictor) } catch {
                printError("error: --output-dir \(outputDir): \(PathCheck.reason(error))")
                throw ExitCode(1)
            }
            if outcome.failed > 0 { throw ExitCode(1) }
        }
    }
}

extension ChartGranularity: ExpressibleByArgument {}
