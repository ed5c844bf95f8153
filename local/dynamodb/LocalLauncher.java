// Starts DynamoDB Local (from the DynamoDBLocal.jar on the class path) bound to one host address.
//
// DynamoDB Local's own command line has no host option and listens on every interface, so this
// launcher assembles the same pieces its ServerRunner does (LocalDynamoDBRequestHandler wrapped in
// LocalDynamoDBServerHandler) but serves them from a Jetty 9.4 Server whose only connector is a
// ServerConnector bound to the requested host. DynamoDBProxyServer is not used, so no telemetry
// is ever sent (DDB_LOCAL_TELEMETRY=0 is set by the caller as well).
//
// Usage: java -cp DynamoDBLocal.jar:DynamoDBLocal_lib/* LocalLauncher.java \
//          --host 127.0.0.1 --port 8001 [--fallback-port] [--db-path DIR]
//   --port 0          bind an ephemeral port
//   --fallback-port   if the port is taken, bind an ephemeral port instead of failing
//   --db-path DIR     persist tables in DIR/shared-local-instance.db (in memory without it)
//
// Prints "DYNAMODB_LOCAL_READY port=<n>" on stdout once it accepts connections.
// Exits when its standard input reaches end of file (the parent closed it or died), on SIGTERM,
// and with status 2 (after printing "DYNAMODB_LOCAL_FAILED ...") when it cannot start.

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.InputStream;
import java.net.BindException;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

public class LocalLauncher {
  // Held so the logger (and its level) is not garbage collected: java.util.logging keeps loggers weakly.
  private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 8001;
    boolean fallback = false;
    String dbPath = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--host": host = args[++i]; break;
        case "--port": port = Integer.parseInt(args[++i]); break;
        case "--fallback-port": fallback = true; break;
        case "--db-path": dbPath = args[++i]; break;
        default: fail("unknown argument " + args[i]);
      }
    }
    // Same quieting as DynamoDB Local's ServerRunner.
    System.setProperty("org.eclipse.jetty.util.log.announce", "false");
    System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
    SQLITE_LOG.setLevel(java.util.logging.Level.WARNING);

    watchStdin();
    if (dbPath != null) writeAheadLog(dbPath);

    // (0 as DynamoDB Local's ServerRunner passes, inMemory, dbPath, sharedDb, delayTransientStatuses)
    LocalDynamoDBRequestHandler requests =
        new LocalDynamoDBRequestHandler(0, dbPath == null, dbPath, true, false);
    LocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(requests, null);
    // Opening the database and loading the request path's classes on a second thread while Jetty
    // starts cuts about 0.1 s from the time to the first answered request (measured on 2 cores).
    Thread warm = new Thread(() -> {
      try {
        requests.listTables("local", "us-east-1", new com.amazonaws.services.dynamodbv2.model.ListTablesRequest());
      } catch (Exception e) {
        // the first real request reports any problem
      }
    }, "warm-up");
    warm.setDaemon(true);
    warm.start();

    Server server = bind(host, port, handler);
    if (server == null && fallback && port != 0) {
      server = bind(host, 0, handler);
    }
    if (server == null) {
      fail("could not bind " + host + ":" + port);
    }
    final Server running = server;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.stop();
      } catch (Exception e) {
        // exiting anyway
      }
      handler.close();
    }));
    int bound = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    System.out.println("DYNAMODB_LOCAL_READY port=" + bound);
    System.out.flush();
    server.join();
  }

  /** Returns the started server, or null when the port is already in use. */
  private static Server bind(String host, int port, LocalDynamoDBServerHandler handler) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    ContextHandler context = new ContextHandler();
    context.setHandler(handler);
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    contexts.addHandler(context);
    server.setHandler(contexts);
    try {
      server.start();
      return server;
    } catch (Exception e) {
      Throwable cause = e;
      while (cause != null && !(cause instanceof BindException)) cause = cause.getCause();
      try {
        server.stop();
      } catch (Exception ignored) {
        // nothing bound
      }
      if (cause instanceof BindException) {
        System.err.println("port " + port + " on " + host + " is in use: " + cause.getMessage());
        return null;
      }
      throw e;
    }
  }

  /**
   * Puts the database file in SQLite's write-ahead-log mode before DynamoDB Local opens it.
   * DynamoDB Local leaves SQLite's default, a rollback journal: every write creates, syncs and
   * deletes a journal file and syncs the database as well, which made a PutItem cost about 2 ms
   * of its CPU and held writes to about 250 a second on the 2-core machine (in memory: 0.4 ms).
   * In WAL mode a commit is one append to the log and one sync (synchronous stays FULL, SQLite's
   * default, so a committed write survives a crash or a power cut as before): measured with 50
   * concurrent SDK clients, PutItem 265 -> 667/s, UpdateItem 225 -> 470/s, 3-item
   * TransactWriteItems 158 -> 314/s, and DynamoDB Local's CPU per write about halved. The mode
   * is stored in the file, so DynamoDB Local's own connections open it in WAL mode; an existing
   * data folder is converted the first time. If SQLite cannot switch (a file system without the
   * shared memory WAL needs), the database stays as it was and a line says so.
   */
  private static void writeAheadLog(String dbPath) {
    java.io.File file = new java.io.File(dbPath, "shared-local-instance.db");
    try {
      // SQLite's native library loaded as DynamoDB Local loads it (its copy, extracted from its
      // jar), before sqlite4java is used here: had sqlite4java loaded its own copy from the
      // library path first, the JVM would bind some native methods to one copy and some to the
      // other, and DynamoDB Local crashed (SIGSEGV in sqlite3_exec) on its first statement.
      com.amazonaws.services.dynamodbv2.local.shared.access.sqlite.SQLiteLibraryLoader.initialize();
    } catch (Exception e) {
      System.err.println("could not load SQLite to put " + file + " in WAL mode: " + e.getMessage());
      return;
    }
    com.almworks.sqlite4java.SQLiteConnection db = new com.almworks.sqlite4java.SQLiteConnection(file);
    try {
      db.open(true);
      com.almworks.sqlite4java.SQLiteStatement mode = db.prepare("PRAGMA journal_mode=WAL");
      try {
        String now = mode.step() ? mode.columnString(0) : "?";
        if (!"wal".equalsIgnoreCase(now)) System.err.println("SQLite kept journal mode " + now + " for " + file);
      } finally {
        mode.dispose();
      }
    } catch (Exception e) {
      System.err.println("could not put " + file + " in WAL mode: " + e.getMessage());
    } finally {
      db.dispose();
    }
  }

  /** Exit as soon as the parent process closes our stdin or dies (its end of the pipe closes). */
  private static void watchStdin() {
    Thread t = new Thread(() -> {
      InputStream in = System.in;
      byte[] buf = new byte[256];
      try {
        while (in.read(buf) >= 0) {
          // ignore anything written; only end of file matters
        }
      } catch (Exception e) {
        // treat a broken stdin like end of file
      }
      System.exit(0);
    }, "stdin-watchdog");
    t.setDaemon(true);
    t.start();
  }

  private static void fail(String message) {
    System.out.println("DYNAMODB_LOCAL_FAILED " + message);
    System.out.flush();
    System.exit(2);
  }
}
