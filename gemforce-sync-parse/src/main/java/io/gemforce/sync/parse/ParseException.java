package io.gemforce.sync.parse;

import io.gemforce.sync.SinkException;

/**
 * Parse Server answered with an error, or could not be reached. Carries Parse's own error
 * {@link #parseCode() code} and {@link #parseError() message} ({@code {"code": 137, "error": "..."}}),
 * the HTTP status (0 when no answer arrived), the request it answered ({@code POST /parse/batch}) and
 * how many attempts were made. Messages never contain the master key.
 */
public class ParseException extends SinkException {
    private static final long serialVersionUID = 1L;

    /** The answer carried no Parse code (for example HTTP 403 {@code unauthorized} or 413). */
    public static final int OTHER_CAUSE = -1;
    /** Parse's generic server error; on PostgreSQL also every aborted transactional batch. */
    public static final int INTERNAL_SERVER_ERROR = 1;
    /** No answer: connection refused or reset (the code Parse's own SDKs use for this). */
    public static final int CONNECTION_FAILED = 100;
    public static final int OBJECT_NOT_FOUND = 101;
    public static final int INVALID_QUERY = 102;
    public static final int INVALID_CLASS_NAME = 103;
    public static final int INCORRECT_TYPE = 111;
    public static final int OPERATION_FORBIDDEN = 119;
    /** No answer in time. */
    public static final int TIMEOUT = 124;
    public static final int DUPLICATE_VALUE = 137;
    public static final int REQUEST_LIMIT_EXCEEDED = 155;
    public static final int DUPLICATE_REQUEST = 159;

    private final int parseCode;
    private final String parseError;
    private final int httpStatus;
    private final String request;
    private final int attempts;
    private final boolean transactionAborted;

    public ParseException(int parseCode, String parseError, int httpStatus, String request, int attempts,
            boolean transactionAborted, Throwable cause) {
        super(describe(parseCode, parseError, httpStatus, request, attempts, transactionAborted), cause);
        this.parseCode = parseCode;
        this.parseError = parseError;
        this.httpStatus = httpStatus;
        this.request = request;
        this.attempts = attempts;
        this.transactionAborted = transactionAborted;
    }

    private static String describe(int code, String error, int status, String request, int attempts,
            boolean aborted) {
        StringBuilder sb = new StringBuilder();
        sb.append(request == null ? "Parse request" : request).append(" failed");
        if (status > 0) {
            sb.append(": HTTP ").append(status);
        } else {
            sb.append(": no answer");
        }
        if (code != OTHER_CAUSE) {
            sb.append(", code ").append(code);
        }
        if (error != null && !error.isEmpty()) {
            sb.append(", ").append(error);
        }
        if (attempts > 1) {
            sb.append(" (after ").append(attempts).append(" attempts)");
        }
        if (aborted) {
            sb.append("; the transaction was rolled back (Parse Server on PostgreSQL does not say which"
                    + " sub-request failed)");
        }
        return sb.toString();
    }

    /** Parse's error code ({@code code} of the answer), or {@link #OTHER_CAUSE}. */
    public int parseCode() {
        return parseCode;
    }

    /** Parse's error message ({@code error} of the answer), or a description of the I/O failure. */
    public String parseError() {
        return parseError;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The request, as {@code METHOD /path} (never with headers or body). */
    public String request() {
        return request;
    }

    public int attempts() {
        return attempts;
    }

    /**
     * A transactional {@code /batch} was rolled back because one of its sub-requests failed (a 137
     * duplicate, a 101 missing object, a type error...). Nothing of the batch was written.
     */
    public boolean transactionAborted() {
        return transactionAborted;
    }

    /** Whether the same request may succeed later: no answer, HTTP 429 or a 5xx. */
    public boolean transientFailure() {
        return httpStatus == 0 || httpStatus == 429 || httpStatus >= 500;
    }
}
