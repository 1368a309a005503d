using KernelSoak.Processes;

namespace KernelSoak.Kernel.Tests;

/// <summary>
/// A patch that breaks the build: CompileKernel stops with the compiler's own words (file:line: error) and
/// the full log kept, so the next step (InstallKernel) never runs on it. The real cross compiler and make on
/// a stand-in tree (a full kernel build to reach one error would take the suite's time for nothing more).
/// </summary>
public class CompilerErrorTests
{
    [Test]
    public async Task A_compiler_error_stops_the_build_naming_file_line_and_the_kept_log()
    {
        var dir = Directory.CreateTempSubdirectory("ks-cc-error-").FullName;
        try
        {
            var source = Path.Combine(dir, "src");
            Directory.CreateDirectory(source);
            await File.WriteAllTextAsync(Path.Combine(source, "lkdtm_broken.c"), "int lkdtm_entry(void)\n{\n\treturn undeclared_thing + 1;\n}\n");
            await File.WriteAllTextAsync(Path.Combine(source, "Makefile"),
                "# Stands in for the kernel's Makefile: every build target compiles one file with the campaign's compiler.\n" +
                "Image modules dtbs:\n\t@mkdir -p $(O)\n\t$(CROSS_COMPILE)gcc -c -o $(O)/$@.o $(CURDIR)/lkdtm_broken.c\n");
            var tree = new KernelTree(source, Path.Combine(dir, "build"), null);
            var spec = KernelTreeFixture.Arm64();
            var builder = new KernelBuilder(tree, new KernelMake(spec, tree, 2), new CommandRunner(new KernelTreeFixture.ProgressLog()), "arm64");
            var log = Path.Combine(dir, "logs", "build.log");

            var e = Assert.ThrowsAsync<KernelBuildException>(() => builder.BuildAsync(log, _ => { }));

            Assert.That(e!.Message, Does.Contain("the kernel build failed").And.Contain(log)
                .And.Contain("lkdtm_broken.c:3:").And.Contain("error:").And.Contain("undeclared_thing"));
            Assert.That(await File.ReadAllTextAsync(log), Does.Contain("aarch64-linux-gnu-gcc -c").And.Contain("lkdtm_broken.c:3:"), "the whole compiler output is kept");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
