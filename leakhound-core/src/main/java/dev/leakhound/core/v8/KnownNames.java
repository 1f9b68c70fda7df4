package dev.leakhound.core.v8;

import dev.leakhound.core.snapshot.StringTable;

/**
 * The string-table indexes of {@link V8Names} in one snapshot, found in one pass over its strings (V8
 * interns names, so each has one index), so hot loops compare ints. A name the snapshot does not
 * contain has index -1, which no node or edge name equals.
 */
public final class KnownNames {
    public final int context;
    public final int shared;
    public final int scopeInfo;
    public final int previous;
    public final int table;
    public final int boundThis;
    public final int proto;
    public final int events;
    public final int listener;
    public final int warned;
    public final int onTimeout;
    public final int repeat;
    public final int idleNext;
    public final int idlePrev;
    public final int systemContext;
    public final int arrayBufferData;
    public final int array;
    public final int mapClass;
    public final int setClass;
    public final int timeout;
    public final int timersList;

    private KnownNames(int[] ix) {
        int k = 0;
        context = ix[k++];
        shared = ix[k++];
        scopeInfo = ix[k++];
        previous = ix[k++];
        table = ix[k++];
        boundThis = ix[k++];
        proto = ix[k++];
        events = ix[k++];
        listener = ix[k++];
        warned = ix[k++];
        onTimeout = ix[k++];
        repeat = ix[k++];
        idleNext = ix[k++];
        idlePrev = ix[k++];
        systemContext = ix[k++];
        arrayBufferData = ix[k++];
        array = ix[k++];
        mapClass = ix[k++];
        setClass = ix[k++];
        timeout = ix[k++];
        timersList = ix[k];
    }

    public static KnownNames of(StringTable strings) {
        return new KnownNames(strings.find(V8Names.CONTEXT, V8Names.SHARED, V8Names.SCOPE_INFO, V8Names.PREVIOUS,
                V8Names.TABLE, V8Names.BOUND_THIS, V8Names.PROTO, V8Names.EVENTS, V8Names.LISTENER, V8Names.WARNED,
                V8Names.ON_TIMEOUT, V8Names.REPEAT, V8Names.IDLE_NEXT, V8Names.IDLE_PREV, V8Names.SYSTEM_CONTEXT,
                V8Names.ARRAY_BUFFER_DATA, V8Names.ARRAY, V8Names.MAP_CLASS, V8Names.SET_CLASS, V8Names.TIMEOUT,
                V8Names.TIMERS_LIST));
    }
}
