using System.Collections.Concurrent;
using System.Management.Automation;
using KubeExpose.Completers;
using KubeExpose.Core;
using KubeExpose.Core.Cluster;

namespace KubeExpose;

/// <summary>
/// The base of every cmdlet that talks to a cluster: the common -Namespace/-Context/-KubeConfig parameters with
/// kubectl's defaults, cancellation on Ctrl+C, and Core errors turned into well-formed ErrorRecords.
/// </summary>
public abstract class KubeCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private KubeSession? _session;

    /// <summary>
    /// The namespace to work in. Defaults to the namespace of the kubeconfig context, else "default".
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ns")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>
    /// The kubeconfig context to use. Defaults to the kubeconfig's current context.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContextCompleter))]
    public string? Context { get; set; }

    /// <summary>
    /// The kubeconfig file to read. Defaults to $env:KUBECONFIG, then ~/.kube/config, then the in-cluster service account.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken Cancellation => _cancellation.Token;

    /// <summary>The connection, opened on first use with the common parameters and kubeconfig defaults.</summary>
    protected KubeSession Session => _session ??= Connect();

    /// <summary>The options the common parameters stand for (the kubeconfig path resolved against the current location).</summary>
    protected KubeConnectionOptions ConnectionOptions => new(
        KubeConfig is null ? null : GetUnresolvedProviderPathFromPSPath(KubeConfig), Context, Namespace);

    private KubeSession Connect()
    {
        try
        {
            var session = KubeSession.Connect(ConnectionOptions);
            WriteVerbose($"Context '{session.Context ?? "(in-cluster)"}', namespace '{session.Namespace}', server {session.Server}.");
            return session;
        }
        catch (KubeExposeException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, KubeConfig ?? Context));
            throw; // not reached: ThrowTerminatingError always throws.
        }
    }

    /// <summary>
    /// Waits for Core work on the pipeline thread. Messages Core reports while it runs are written as progress and
    /// verbose records here, because Write* may only be called from the pipeline thread.
    /// </summary>
    protected T Await<T>(Func<CancellationToken, IProgress<string>, Task<T>> work, string activity)
    {
        var messages = new ConcurrentQueue<string>();
        var progress = new QueueProgress(messages);
        var task = work(Cancellation, progress);
        var record = new ProgressRecord(ProgressActivityId, activity, "Starting");
        var wroteProgress = false;
        try
        {
            while (!task.Wait(TimeSpan.FromMilliseconds(100)))
            {
                wroteProgress |= Drain(messages, record);
            }
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
        }
        finally
        {
            wroteProgress |= Drain(messages, record);
            if (wroteProgress)
            {
                record.RecordType = ProgressRecordType.Completed;
                WriteProgress(record);
            }
        }

        return task.Result;
    }

    /// <summary>Waits for Core work that reports no progress.</summary>
    protected T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        try
        {
            return work(Cancellation).GetAwaiter().GetResult();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
            throw;
        }
    }

    /// <summary>A progress activity id stable per cmdlet type, so nested waits in one command update one bar.</summary>
    protected virtual int ProgressActivityId => Math.Abs(GetType().Name.GetHashCode(StringComparison.Ordinal) % 10000);

    private bool Drain(ConcurrentQueue<string> messages, ProgressRecord record)
    {
        var wrote = false;
        while (messages.TryDequeue(out var message))
        {
            record.StatusDescription = message;
            WriteProgress(record);
            WriteVerbose(message);
            wrote = true;
        }

        return wrote;
    }

    /// <summary>Writes a non-terminating error for one item and lets the cmdlet go on with the next.</summary>
    protected void WriteCoreError(Exception error, object? target) => WriteError(ToErrorRecord(error, target));

    /// <summary>Stops the whole command: for errors that leave nothing else to do.</summary>
    protected void ThrowCoreError(Exception error, object? target) => ThrowTerminatingError(ToErrorRecord(error, target));

    /// <summary>Maps a Core failure to an ErrorRecord with a category, a stable id and the object it is about.</summary>
    protected static ErrorRecord ToErrorRecord(Exception error, object? target)
    {
        if (error is KubeExposeException known)
        {
            var category = known.Kind switch
            {
                KubeExposeErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
                KubeExposeErrorKind.NotFound => ErrorCategory.ObjectNotFound,
                KubeExposeErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
                KubeExposeErrorKind.Conflict => ErrorCategory.ResourceExists,
                KubeExposeErrorKind.Connection => ErrorCategory.ConnectionError,
                KubeExposeErrorKind.Timeout => ErrorCategory.OperationTimeout,
                KubeExposeErrorKind.InvalidConfiguration => ErrorCategory.InvalidData,
                _ => ErrorCategory.InvalidOperation,
            };
            return new ErrorRecord(known, known.ErrorId, category, known.Target ?? target);
        }

        return error is OperationCanceledException
            ? new ErrorRecord(error, "OperationStopped", ErrorCategory.OperationStopped, target)
            : new ErrorRecord(error, error.GetType().Name, ErrorCategory.NotSpecified, target);
    }

    protected override void StopProcessing() => _cancellation.Cancel();

    public void Dispose()
    {
        _cancellation.Cancel();
        _cancellation.Dispose();
        _session?.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class QueueProgress(ConcurrentQueue<string> queue) : IProgress<string>
    {
        public void Report(string value) => queue.Enqueue(value);
    }
}
