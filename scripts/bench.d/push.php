<?php
// The push service from Workerman's manual, for scripts/bench to run beside drover's Push example
// with the same clients (Workerman is loaded by workerman.php).
// Ports and files come from PUSH_WEBSOCKET_PORT, PUSH_TEXT_PORT and PUSH_RUN_DIR.
require __DIR__ . '/workerman.php';

use Workerman\Worker;

$browsers = []; // uid => connection, in this one process
$push = new Worker('websocket://127.0.0.1:' . getenv('PUSH_WEBSOCKET_PORT'));
$push->name = 'push';
$push->count = 1;
$push->onMessage = function ($connection, $uid) use (&$browsers) {
    $connection->uid = $uid;
    $browsers[$uid] = $connection;
    $connection->send("registered as uid $uid");
};
$push->onClose = function ($connection) use (&$browsers) {
    if (isset($connection->uid)) {
        unset($browsers[$connection->uid]);
    }
};
$push->onWorkerStart = function () use (&$browsers) {
    // The manual's rule: listen() inside onWorkerStart listens in this process, next to the map.
    $inner = new Worker('text://127.0.0.1:' . getenv('PUSH_TEXT_PORT'));
    $inner->onMessage = function ($sender, $line) use (&$browsers) {
        $message = json_decode($line, true);
        if (isset($message['uid'], $message['percent'], $browsers[$message['uid']])) {
            $browsers[$message['uid']]->send($message['percent']);
            $sender->send('ok');
        } else {
            $sender->send('fail');
        }
    };
    $inner->listen();
};
Worker::$pidFile = getenv('PUSH_RUN_DIR') . '/workerman-push.pid';
Worker::$logFile = getenv('PUSH_RUN_DIR') . '/workerman-push.log';
Worker::$stdoutFile = getenv('PUSH_RUN_DIR') . '/workerman-push.out';
Worker::runAll();
