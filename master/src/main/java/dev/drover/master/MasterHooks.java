package dev.drover.master;

import dev.drover.master.os.ExitStatus;

/**
 * The application's master-side callbacks (Workerman's {@code onMasterReload}, {@code onMasterStop},
 * {@code onWorkerExit}) and what they may change. The master runs the application's {@code main},
 * so these run in the master JVM; an exception they throw is logged and the master goes on.
 */
public interface MasterHooks {
    /** Before a reload replaces any worker; it may change a group's count. */
    void onMasterReload() throws Exception;

    /** When the master is about to stop its workers. */
    void onMasterStop() throws Exception;

    /** After the master reaped a worker of group {@code groupIndex}. */
    void onWorkerExit(int groupIndex, int pid, ExitStatus status) throws Exception;

    /** The group's count now (onMasterReload may have changed it). */
    int count(int groupIndex);

    /** Hooks that do nothing and keep every count. */
    static MasterHooks none(AppSpec app) {
        return new MasterHooks() {
            @Override
            public void onMasterReload() {}

            @Override
            public void onMasterStop() {}

            @Override
            public void onWorkerExit(int groupIndex, int pid, ExitStatus status) {}

            @Override
            public int count(int groupIndex) {
                return app.groups().get(groupIndex).count();
            }
        };
    }
}
