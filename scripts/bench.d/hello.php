<?php
// Workerman's hello HTTP server (count 2), for scripts/bench to time `start -d` to the first answer
// beside drover's Hello. Workerman itself is not part of drover: WORKERMAN names a Workerman 4.x
// source tree (its Autoloader.php) or a Composer project (vendor/autoload.php).
// The port and the files' directory come from HELLO_PORT and HELLO_RUN_DIR.
$workerman = getenv('WORKERMAN') ?: exit("hello.php: set WORKERMAN to a Workerman source tree\n");
if (is_file("$workerman/vendor/autoload.php")) {
    require "$workerman/vendor/autoload.php";
} elseif (is_file("$workerman/Autoloader.php")) {
    require "$workerman/Autoloader.php";
} else {
    exit("hello.php: $workerman has neither vendor/autoload.php nor Autoloader.php\n");
}

use Workerman\Worker;

$web = new Worker('http://127.0.0.1:' . getenv('HELLO_PORT'));
$web->name = 'web';
$web->count = 2;
$web->onMessage = function ($connection, $request) {
    $connection->send('hello');
};
Worker::$pidFile = getenv('HELLO_RUN_DIR') . '/workerman-hello.pid';
Worker::$logFile = getenv('HELLO_RUN_DIR') . '/workerman-hello.log';
Worker::$stdoutFile = getenv('HELLO_RUN_DIR') . '/workerman-hello.out';
Worker::runAll();
