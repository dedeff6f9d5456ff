<?php
// Workerman's hello HTTP server (count 2), for scripts/bench to time `start -d` to the first answer
// beside drover's Hello (Workerman is loaded by workerman.php).
// The port and the files' directory come from HELLO_PORT and HELLO_RUN_DIR.
require __DIR__ . '/workerman.php';

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
