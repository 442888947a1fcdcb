package io.gemforce.sync.abi;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An ABI file, directory or text that cannot be read: not JSON, no ABI in a file given by name, or
 * an entry with an unknown type or no name. The message names the file. Code
 * {@link ErrorCode#INVALID_ABI}.
 */
public final class InvalidAbiException extends InvalidInputException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    InvalidAbiException(Path file, String problem) {
        super(ErrorCode.INVALID_ABI, (file == null ? "" : file + ": ") + problem);
        this.file = file;
    }

    InvalidAbiException(Path file, String problem, Throwable cause) {
        this(file, problem);
        initCause(cause);
    }

    /** The file or directory at fault, when the ABI came from one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
