package dev.leakhound.analysis.allocation;

/**
 * An npm package: the one whose folder under {@code node_modules} holds a script.
 *
 * @param name    the package's name ({@code package.json}'s, else the folder's: {@code ws}, {@code @scope/name})
 * @param version its version from {@code package.json}, or null when that file was not found or says none
 */
public record PackageRef(String name, String version) {
    @Override
    public String toString() {
        return version == null ? name : name + "@" + version;
    }
}
