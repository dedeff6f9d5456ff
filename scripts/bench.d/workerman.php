<?php
// Loads Workerman for scripts/bench's PHP servers (push.php, hello.php). Workerman itself is not part
// of drover: WORKERMAN names a Workerman 4.x source tree (its Autoloader.php) or a Composer project
// (vendor/autoload.php).
$script = basename($_SERVER['SCRIPT_FILENAME']);
$workerman = getenv('WORKERMAN') ?: exit("$script: set WORKERMAN to a Workerman source tree\n");
if (is_file("$workerman/vendor/autoload.php")) {
    require "$workerman/vendor/autoload.php";
} elseif (is_file("$workerman/Autoloader.php")) {
    require "$workerman/Autoloader.php";
} else {
    exit("$script: $workerman has neither vendor/autoload.php nor Autoloader.php\n");
}
