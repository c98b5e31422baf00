/*
 * syscall_table.h - every AArch64 Linux system call, in one table.
 *
 * AArch64 uses the asm-generic numbering (include/uapi/asm-generic/unistd.h
 * with __ARCH_WANT_RENAMEAT, _NEW_STAT, _SET_GET_RLIMIT, _SYS_CLONE3 and
 * _MEMFD_SECRET).  This table is the only place the numbers, the names and
 * the handlers live; runtime/syscall.c builds the dispatch array from it,
 * runtime/runtime.h the handler prototypes.
 *
 *   X(nr, name, nargs, r, mem, handler)  implemented: handler is in the
 *                                family file named in the comment
 *                                (runtime/sys_<family>.c); nargs is how many
 *                                arguments to log.
 *   P(nr, name, nargs, r, mem)   passed through: the host call of the same name
 *                                (SYS_name) with the guest's six arguments,
 *                                because they mean the same on x86-64 (numbers,
 *                                flags, structure layouts; the comment says so
 *                                where it is not obvious);
 *   N(nr, name)                  known, not implemented: returns -ENOSYS and,
 *                                with DBT_LOG=syscall, says so by name.
 *
 * The column r is what a call interrupted by a signal handler does:
 *   R  the kernel restarts it after a handler with SA_RESTART (it fails
 *      with -ERESTARTSYS inside the kernel; signal(7)), else -EINTR;
 *   E  -EINTR whatever the handler's flags (ppoll, nanosleep,
 *      rt_sigsuspend, epoll_pwait, ...) - or it never blocks.
 * dbt_rt_syscall applies it: host handlers never have SA_RESTART, so the
 * host call comes back with EINTR and the guest handler runs before the
 * call is made again.  N rows the kernel restarts, to get R when they are
 * implemented: preadv, pwritev, preadv2, pwritev2, splice, tee,
 * copy_file_range, mq_timedsend, mq_timedreceive.
 *
 * The column mem says which arguments are guest pointers and how many
 * bytes the kernel (or the handler) reads or writes there, e.g. "w1:a2"
 * for read(fd, buf, count): argument 1, argument 2 bytes, written.  Before
 * the call, each is checked to be the guest's memory, not the runtime's
 * (-EFAULT otherwise); the notation is explained in guest_mem.c.  Pointers
 * whose size depends on another argument (ioctl, fcntl, prctl, clone)
 * are checked by their handlers, with guest_mem_check; futex's by "F".
 *
 * To implement a call: turn its N into an X and write the handler
 *
 *     int64_t sys_NAME(Runtime *rt, CpuState *s, const uint64_t a[6]);
 *
 * which returns the result or a negative errno (asm-generic errno values,
 * the same on x86-64).
 *
 * Deliberately N for now: clone3 (glibc falls back to clone), rseq (glibc
 * copes with ENOSYS).  The family "thread" is runtime/thread.c, "exec"
 * runtime/exec.c.
 */
#ifndef DBT_SYSCALL_TABLE_H
#define DBT_SYSCALL_TABLE_H

/* One more than the highest AArch64 system call number in the table. */
#define A64_NR_SYSCALLS 451

#define SYSCALL_TABLE(X, N, P) \
    N(0, io_setup)                                                      \
    N(1, io_destroy)                                                    \
    N(2, io_submit)                                                     \
    N(3, io_cancel)                                                     \
    N(4, io_getevents)                                                  \
    P(5, setxattr, 5, E, "r0:s r1:s r2:a3")                      /* files: pass (xattrs) */ \
    P(6, lsetxattr, 5, E, "r0:s r1:s r2:a3")                     /* files: pass (xattrs) */ \
    P(7, fsetxattr, 5, E, "r1:s r2:a3")                          /* files: pass (xattrs) */ \
    P(8, getxattr, 4, E, "r0:s r1:s w2:a3")                      /* files: pass (xattrs) */ \
    P(9, lgetxattr, 4, E, "r0:s r1:s w2:a3")                     /* files: pass (xattrs) */ \
    P(10, fgetxattr, 4, E, "r1:s w2:a3")                         /* files: pass (xattrs) */ \
    P(11, listxattr, 3, E, "r0:s w1:a2")                         /* files: pass (xattrs) */ \
    P(12, llistxattr, 3, E, "r0:s w1:a2")                        /* files: pass (xattrs) */ \
    P(13, flistxattr, 3, E, "w1:a2")                             /* files: pass (xattrs) */ \
    P(14, removexattr, 2, E, "r0:s r1:s")                        /* files: pass (xattrs) */ \
    P(15, lremovexattr, 2, E, "r0:s r1:s")                       /* files: pass (xattrs) */ \
    P(16, fremovexattr, 2, E, "r1:s")                            /* files: pass (xattrs) */ \
    P(17, getcwd, 2, E, "w0:a1")                                 /* files: pass */ \
    N(18, lookup_dcookie)                                               \
    P(19, eventfd2, 2, E, "")                                    /* files: pass */ \
    P(20, epoll_create1, 1, E, "")                               /* files: pass */ \
    X(21, epoll_ctl, 4, E, "r3:16", sys_epoll_ctl)               /* files */ \
    X(22, epoll_pwait, 6, E, "w1:a2*16 r4:a5", sys_epoll_pwait)  /* files */ \
    P(23, dup, 1, E, "")                                         /* files: pass */ \
    P(24, dup3, 3, E, "")                                        /* files: pass, only O_CLOEXEC, same bit */ \
    X(25, fcntl, 3, R, "", sys_fcntl)                            /* files */ \
    P(26, inotify_init1, 1, E, "")                               /* files: pass */ \
    P(27, inotify_add_watch, 3, E, "r1:s")                       /* files: pass */ \
    P(28, inotify_rm_watch, 2, E, "")                            /* files: pass */ \
    X(29, ioctl, 3, R, "", sys_ioctl)                            /* files */ \
    N(30, ioprio_set)                                                   \
    N(31, ioprio_get)                                                   \
    P(32, flock, 2, R, "")                                       /* files: pass */ \
    P(33, mknodat, 4, E, "r1:s")                                 /* files: pass */ \
    P(34, mkdirat, 3, E, "r1:s")                                 /* files: pass */ \
    P(35, unlinkat, 3, E, "r1:s")                                /* files: pass */ \
    P(36, symlinkat, 3, E, "r0:s r2:s")                          /* files: pass */ \
    P(37, linkat, 5, E, "r1:s r3:s")                             /* files: pass */ \
    P(38, renameat, 4, E, "r1:s r3:s")                           /* files: pass */ \
    N(39, umount2)                                                      \
    N(40, mount)                                                        \
    N(41, pivot_root)                                                   \
    N(42, nfsservctl)                                                   \
    P(43, statfs, 2, E, "r0:s w1:120")                           /* files: pass */ \
    P(44, fstatfs, 2, E, "w1:120")                               /* files: pass */ \
    P(45, truncate, 2, E, "r0:s")                                /* files: pass */ \
    P(46, ftruncate, 2, E, "")                                   /* files: pass */ \
    P(47, fallocate, 4, E, "")                                   /* files: pass */ \
    P(48, faccessat, 3, E, "r1:s")                               /* files: pass */ \
    P(49, chdir, 1, E, "r0:s")                                   /* files: pass */ \
    P(50, fchdir, 1, E, "")                                      /* files: pass */ \
    N(51, chroot)                                                       \
    P(52, fchmod, 2, E, "")                                      /* files: pass */ \
    P(53, fchmodat, 3, E, "r1:s")                                /* files: pass */ \
    P(54, fchownat, 5, E, "r1:s")                                /* files: pass */ \
    P(55, fchown, 3, E, "")                                      /* files: pass */ \
    X(56, openat, 4, R, "r1:s", sys_openat)                      /* files */ \
    P(57, close, 1, E, "")                                       /* files: pass */ \
    N(58, vhangup)                                                      \
    X(59, pipe2, 2, E, "w0:8", sys_pipe2)                        /* files */ \
    N(60, quotactl)                                                     \
    P(61, getdents64, 3, E, "w1:a2")                             /* files: pass */ \
    P(62, lseek, 3, E, "")                                       /* files: pass */ \
    P(63, read, 3, R, "w1:a2")                                   /* files: pass */ \
    P(64, write, 3, R, "r1:a2")                                  /* files: pass */ \
    P(65, readv, 3, R, "w1:v2")                                  /* files: pass */ \
    P(66, writev, 3, R, "r1:v2")                                 /* files: pass */ \
    P(67, pread64, 4, R, "w1:a2")                                /* files: pass */ \
    P(68, pwrite64, 4, R, "r1:a2")                               /* files: pass */ \
    N(69, preadv)                                                       \
    N(70, pwritev)                                                      \
    P(71, sendfile, 4, R, "b2:8")                                /* files: pass */ \
    P(72, pselect6, 6, E, "b1:f0 b2:f0 b3:f0 b4:16 r5:16")       /* files: pass, arg 6: {sigset *, size}, same */ \
    P(73, ppoll, 5, E, "b0:a1*8 r2:16 r3:a4")                    /* files: pass */ \
    P(74, signalfd4, 4, E, "r1:a2")                              /* signal: pass */ \
    N(75, vmsplice)                                                     \
    N(76, splice)                                                       \
    N(77, tee)                                                          \
    X(78, readlinkat, 4, E, "r1:s w2:a3", sys_readlinkat)        /* proc */ \
    X(79, newfstatat, 4, E, "r1:s w2:128", sys_newfstatat)       /* files */ \
    X(80, fstat, 2, E, "w1:128", sys_fstat)                      /* files */ \
    P(81, sync, 0, E, "")                                        /* files: pass */ \
    P(82, fsync, 1, E, "")                                       /* files: pass */ \
    P(83, fdatasync, 1, E, "")                                   /* files: pass */ \
    N(84, sync_file_range)                                              \
    P(85, timerfd_create, 2, E, "")                              /* timer: pass */ \
    P(86, timerfd_settime, 4, E, "r2:32 w3:32")                  /* timer: pass */ \
    P(87, timerfd_gettime, 2, E, "w1:32")                        /* timer: pass */ \
    P(88, utimensat, 4, E, "r1:s r2:32")                         /* files: pass */ \
    N(89, acct)                                                         \
    N(90, capget)                                                       \
    N(91, capset)                                                       \
    N(92, personality)                                                  \
    X(93, exit, 1, E, "", sys_exit)                              /* thread */ \
    X(94, exit_group, 1, E, "", sys_exit_group)                  /* thread */ \
    P(95, waitid, 5, R, "w2:128 w4:144")                         /* process: pass */ \
    X(96, set_tid_address, 1, E, "", sys_set_tid_address)        /* thread */ \
    N(97, unshare)                                                      \
    P(98, futex, 6, E, "b0:F")                                   /* thread: pass, same words, timespec, tids */ \
    X(99, set_robust_list, 2, E, "", sys_set_robust_list)        /* thread */ \
    X(100, get_robust_list, 3, E, "w1:8 w2:8", sys_get_robust_list) /* thread */ \
    P(101, nanosleep, 2, E, "r0:16 w1:16")                       /* time: pass */ \
    P(102, getitimer, 2, E, "w1:32")                             /* timer: pass */ \
    P(103, setitimer, 3, E, "r1:32 w2:32")                       /* timer: pass */ \
    N(104, kexec_load)                                                  \
    N(105, init_module)                                                 \
    N(106, delete_module)                                               \
    N(107, timer_create)                                                \
    N(108, timer_gettime)                                               \
    N(109, timer_getoverrun)                                            \
    N(110, timer_settime)                                               \
    N(111, timer_delete)                                                \
    N(112, clock_settime)                                               \
    X(113, clock_gettime, 2, E, "w1:16", sys_clock_gettime)      /* time */ \
    P(114, clock_getres, 2, E, "w1:16")                          /* time: pass */ \
    P(115, clock_nanosleep, 4, E, "r2:16 w3:16")                 /* time: pass */ \
    N(116, syslog)                                                      \
    N(117, ptrace)                                                      \
    P(118, sched_setparam, 2, E, "r1:4")                         /* sched: pass */ \
    P(119, sched_setscheduler, 3, E, "r2:4")                     /* sched: pass */ \
    P(120, sched_getscheduler, 1, E, "")                         /* sched: pass */ \
    P(121, sched_getparam, 2, E, "w1:4")                         /* sched: pass */ \
    P(122, sched_setaffinity, 3, E, "r2:a1")                     /* sched: pass */ \
    P(123, sched_getaffinity, 3, E, "w2:a1")                     /* process: pass */ \
    P(124, sched_yield, 0, E, "")                                /* process: pass */ \
    P(125, sched_get_priority_max, 1, E, "")                     /* sched: pass */ \
    P(126, sched_get_priority_min, 1, E, "")                     /* sched: pass */ \
    P(127, sched_rr_get_interval, 2, E, "w1:16")                 /* sched: pass */ \
    N(128, restart_syscall)                                             \
    P(129, kill, 2, E, "")                                       /* process: pass */ \
    P(130, tkill, 2, E, "")                                      /* process: pass */ \
    P(131, tgkill, 3, E, "")                                     /* process: pass */ \
    X(132, sigaltstack, 2, E, "r0:24 w1:24", sys_sigaltstack)    /* signal */ \
    X(133, rt_sigsuspend, 2, E, "r0:8", sys_rt_sigsuspend)       /* signal */ \
    X(134, rt_sigaction, 4, E, "r1:32 w2:32", sys_rt_sigaction)  /* signal */ \
    X(135, rt_sigprocmask, 4, E, "r1:8 w2:8", sys_rt_sigprocmask) /* signal */ \
    X(136, rt_sigpending, 2, E, "w0:8", sys_rt_sigpending)       /* signal */ \
    X(137, rt_sigtimedwait, 4, E, "r0:8 w1:128 r2:16", sys_rt_sigtimedwait) /* signal */ \
    N(138, rt_sigqueueinfo)                                             \
    X(139, rt_sigreturn, 0, E, "", sys_rt_sigreturn)             /* signal */ \
    N(140, setpriority)                                                 \
    N(141, getpriority)                                                 \
    N(142, reboot)                                                      \
    P(143, setregid, 2, E, "")                                   /* process: pass */ \
    P(144, setgid, 1, E, "")                                     /* process: pass */ \
    P(145, setreuid, 2, E, "")                                   /* process: pass */ \
    P(146, setuid, 1, E, "")                                     /* process: pass */ \
    P(147, setresuid, 3, E, "")                                  /* process: pass */ \
    P(148, getresuid, 3, E, "w0:4 w1:4 w2:4")                    /* process: pass */ \
    P(149, setresgid, 3, E, "")                                  /* process: pass */ \
    P(150, getresgid, 3, E, "w0:4 w1:4 w2:4")                    /* process: pass */ \
    N(151, setfsuid)                                                    \
    N(152, setfsgid)                                                    \
    P(153, times, 1, E, "w0:32")                                 /* process: pass */ \
    P(154, setpgid, 2, E, "")                                    /* process: pass */ \
    P(155, getpgid, 1, E, "")                                    /* process: pass */ \
    P(156, getsid, 1, E, "")                                     /* process: pass */ \
    P(157, setsid, 0, E, "")                                     /* process: pass */ \
    P(158, getgroups, 2, E, "w1:a0*4")                           /* process: pass */ \
    N(159, setgroups)                                                   \
    X(160, uname, 1, E, "w0:390", sys_uname)                     /* process */ \
    N(161, sethostname)                                                 \
    N(162, setdomainname)                                               \
    P(163, getrlimit, 2, E, "w1:16")                             /* process: pass */ \
    P(164, setrlimit, 2, E, "r1:16")                             /* process: pass */ \
    P(165, getrusage, 2, E, "w1:144")                            /* process: pass */ \
    P(166, umask, 1, E, "")                                      /* files: pass */ \
    X(167, prctl, 5, E, "", sys_prctl)                           /* process */ \
    N(168, getcpu)                                                      \
    X(169, gettimeofday, 2, E, "w0:16 w1:8", sys_gettimeofday)   /* time */ \
    N(170, settimeofday)                                                \
    N(171, adjtimex)                                                    \
    P(172, getpid, 0, E, "")                                     /* process: pass */ \
    P(173, getppid, 0, E, "")                                    /* process: pass */ \
    P(174, getuid, 0, E, "")                                     /* process: pass */ \
    P(175, geteuid, 0, E, "")                                    /* process: pass */ \
    P(176, getgid, 0, E, "")                                     /* process: pass */ \
    P(177, getegid, 0, E, "")                                    /* process: pass */ \
    P(178, gettid, 0, E, "")                                     /* process: pass */ \
    P(179, sysinfo, 1, E, "w0:112")                              /* process: pass */ \
    N(180, mq_open)                                                     \
    N(181, mq_unlink)                                                   \
    N(182, mq_timedsend)                                                \
    N(183, mq_timedreceive)                                             \
    N(184, mq_notify)                                                   \
    N(185, mq_getsetattr)                                               \
    N(186, msgget)                                                      \
    N(187, msgctl)                                                      \
    N(188, msgrcv)                                                      \
    N(189, msgsnd)                                                      \
    N(190, semget)                                                      \
    N(191, semctl)                                                      \
    N(192, semtimedop)                                                  \
    N(193, semop)                                                       \
    N(194, shmget)                                                      \
    N(195, shmctl)                                                      \
    N(196, shmat)                                                       \
    N(197, shmdt)                                                       \
    P(198, socket, 3, E, "")                                     /* net: pass */ \
    P(199, socketpair, 4, E, "w3:8")                             /* net: pass */ \
    P(200, bind, 3, E, "r1:a2")                                  /* net: pass */ \
    P(201, listen, 2, E, "")                                     /* net: pass */ \
    P(202, accept, 3, R, "b2:4 w1:p2")                           /* net: pass */ \
    P(203, connect, 3, R, "r1:a2")                               /* net: pass */ \
    P(204, getsockname, 3, E, "b2:4 w1:p2")                      /* net: pass */ \
    P(205, getpeername, 3, E, "b2:4 w1:p2")                      /* net: pass */ \
    P(206, sendto, 6, R, "r1:a2 r4:a5")                          /* net: pass */ \
    P(207, recvfrom, 6, R, "w1:a2 b5:4 w4:p5")                   /* net: pass */ \
    P(208, setsockopt, 5, E, "r3:a4")                            /* net: pass */ \
    P(209, getsockopt, 5, E, "b4:4 w3:p4")                       /* net: pass */ \
    P(210, shutdown, 2, E, "")                                   /* net: pass */ \
    P(211, sendmsg, 3, R, "r1:m")                                /* net: pass */ \
    P(212, recvmsg, 3, R, "b1:m")                                /* net: pass */ \
    N(213, readahead)                                                   \
    X(214, brk, 1, E, "", sys_brk)                               /* mem */  \
    X(215, munmap, 2, E, "", sys_munmap)                         /* mem */  \
    X(216, mremap, 5, E, "", sys_mremap)                         /* mem */  \
    N(217, add_key)                                                     \
    N(218, request_key)                                                 \
    N(219, keyctl)                                                      \
    X(220, clone, 5, E, "", sys_clone)                           /* thread */ \
    X(221, execve, 3, E, "r0:s", sys_execve)                     /* exec */ \
    X(222, mmap, 6, E, "", sys_mmap)                             /* mem */  \
    N(223, fadvise64)                                                   \
    N(224, swapon)                                                      \
    N(225, swapoff)                                                     \
    X(226, mprotect, 3, E, "", sys_mprotect)                     /* mem */  \
    P(227, msync, 3, E, "")                                      /* mem: pass, MS_* are the same */ \
    P(228, mlock, 2, E, "")                                      /* mem: pass */ \
    P(229, munlock, 2, E, "")                                    /* mem: pass */ \
    N(230, mlockall)                                                    \
    N(231, munlockall)                                                  \
    N(232, mincore)                                                     \
    X(233, madvise, 3, E, "", sys_madvise)                       /* mem */  \
    N(234, remap_file_pages)                                            \
    N(235, mbind)                                                       \
    N(236, get_mempolicy)                                               \
    N(237, set_mempolicy)                                               \
    N(238, migrate_pages)                                               \
    N(239, move_pages)                                                  \
    N(240, rt_tgsigqueueinfo)                                           \
    N(241, perf_event_open)                                             \
    P(242, accept4, 4, R, "b2:4 w1:p2")                          /* net: pass */ \
    P(243, recvmmsg, 5, E, "b1:M2 b4:16")                        /* net: pass */ \
    P(260, wait4, 4, R, "w1:4 w3:144")                           /* process: pass */ \
    P(261, prlimit64, 4, E, "r2:16 w3:16")                       /* process: pass */ \
    N(262, fanotify_init)                                               \
    N(263, fanotify_mark)                                               \
    N(264, name_to_handle_at)                                           \
    N(265, open_by_handle_at)                                           \
    N(266, clock_adjtime)                                               \
    N(267, syncfs)                                                      \
    N(268, setns)                                                       \
    P(269, sendmmsg, 4, E, "b1:M2")                              /* net: pass */ \
    N(270, process_vm_readv)                                            \
    N(271, process_vm_writev)                                           \
    N(272, kcmp)                                                        \
    N(273, finit_module)                                                \
    N(274, sched_setattr)                                               \
    N(275, sched_getattr)                                               \
    P(276, renameat2, 5, E, "r1:s r3:s")                         /* files: pass */ \
    N(277, seccomp)                                                     \
    P(278, getrandom, 3, R, "w0:a1")                             /* process: pass */ \
    P(279, memfd_create, 2, E, "r0:s")                           /* files: pass */ \
    N(280, bpf)                                                         \
    N(281, execveat)                                                    \
    N(282, userfaultfd)                                                 \
    N(283, membarrier)                                                  \
    N(284, mlock2)                                                      \
    N(285, copy_file_range)                                             \
    N(286, preadv2)                                                     \
    N(287, pwritev2)                                                    \
    N(288, pkey_mprotect)                                               \
    N(289, pkey_alloc)                                                  \
    N(290, pkey_free)                                                   \
    P(291, statx, 5, E, "r1:s w4:256")                           /* files: pass */ \
    N(292, io_pgetevents)                                               \
    N(293, rseq)                                                        \
    N(294, kexec_file_load)                                             \
    N(424, pidfd_send_signal)                                           \
    N(425, io_uring_setup)                                              \
    N(426, io_uring_enter)                                              \
    N(427, io_uring_register)                                           \
    N(428, open_tree)                                                   \
    N(429, move_mount)                                                  \
    N(430, fsopen)                                                      \
    N(431, fsconfig)                                                    \
    N(432, fsmount)                                                     \
    N(433, fspick)                                                      \
    N(434, pidfd_open)                                                  \
    N(435, clone3)                                                      \
    N(436, close_range)                                                 \
    N(437, openat2)                                                     \
    N(438, pidfd_getfd)                                                 \
    P(439, faccessat2, 4, E, "r1:s")                             /* files: pass */ \
    N(440, process_madvise)                                             \
    N(441, epoll_pwait2)                                                \
    N(442, mount_setattr)                                               \
    N(443, quotactl_fd)                                                 \
    N(444, landlock_create_ruleset)                                     \
    N(445, landlock_add_rule)                                           \
    N(446, landlock_restrict_self)                                      \
    N(447, memfd_secret)                                                \
    N(448, process_mrelease)                                            \
    N(449, futex_waitv)                                                 \
    N(450, set_mempolicy_home_node)                                    

#endif
