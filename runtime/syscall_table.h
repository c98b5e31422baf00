/*
 * syscall_table.h - every AArch64 Linux system call, in one table.
 *
 * AArch64 uses the asm-generic numbering (include/uapi/asm-generic/unistd.h
 * with __ARCH_WANT_RENAMEAT, _NEW_STAT, _SET_GET_RLIMIT, _SYS_CLONE3 and
 * _MEMFD_SECRET).  This table is the only place the numbers, the names and
 * the handlers live; runtime/syscall.c builds the dispatch array from it,
 * runtime/runtime.h the handler prototypes.
 *
 *   X(nr, name, nargs, handler)  implemented: handler is in the family file
 *                                named in the comment (runtime/sys_<family>.c);
 *                                nargs is how many arguments to log.
 *   N(nr, name)                  known, not implemented: returns -ENOSYS and,
 *                                with DBT_LOG=syscall, says so by name.
 *
 * To implement a call: turn its N into an X and write the handler
 *
 *     int64_t sys_NAME(Runtime *rt, CpuState *s, const uint64_t a[6]);
 *
 * which returns the result or a negative errno (asm-generic errno values,
 * the same on x86-64).
 *
 * Deliberately N for now: clone3 (glibc falls back to clone), execve (no
 * exec yet), rseq (glibc copes with ENOSYS).  The family "thread" is
 * runtime/thread.c.
 */
#ifndef DBT_SYSCALL_TABLE_H
#define DBT_SYSCALL_TABLE_H

/* One more than the highest AArch64 system call number in the table. */
#define A64_NR_SYSCALLS 451

#define SYSCALL_TABLE(X, N) \
    N(0, io_setup)                                                      \
    N(1, io_destroy)                                                    \
    N(2, io_submit)                                                     \
    N(3, io_cancel)                                                     \
    N(4, io_getevents)                                                  \
    N(5, setxattr)                                                      \
    N(6, lsetxattr)                                                     \
    N(7, fsetxattr)                                                     \
    N(8, getxattr)                                                      \
    N(9, lgetxattr)                                                     \
    N(10, fgetxattr)                                                    \
    N(11, listxattr)                                                    \
    N(12, llistxattr)                                                   \
    N(13, flistxattr)                                                   \
    N(14, removexattr)                                                  \
    N(15, lremovexattr)                                                 \
    N(16, fremovexattr)                                                 \
    X(17, getcwd, 2, sys_getcwd)                         /* files */    \
    N(18, lookup_dcookie)                                               \
    N(19, eventfd2)                                                     \
    N(20, epoll_create1)                                                \
    N(21, epoll_ctl)                                                    \
    N(22, epoll_pwait)                                                  \
    X(23, dup, 1, sys_dup)                               /* files */    \
    X(24, dup3, 3, sys_dup3)                             /* files */    \
    X(25, fcntl, 3, sys_fcntl)                           /* files */    \
    N(26, inotify_init1)                                                \
    N(27, inotify_add_watch)                                            \
    N(28, inotify_rm_watch)                                             \
    X(29, ioctl, 3, sys_ioctl)                           /* files */    \
    N(30, ioprio_set)                                                   \
    N(31, ioprio_get)                                                   \
    X(32, flock, 2, sys_flock)                           /* files */    \
    X(33, mknodat, 4, sys_mknodat)                       /* files */    \
    X(34, mkdirat, 3, sys_mkdirat)                       /* files */    \
    X(35, unlinkat, 3, sys_unlinkat)                     /* files */    \
    X(36, symlinkat, 3, sys_symlinkat)                   /* files */    \
    X(37, linkat, 5, sys_linkat)                         /* files */    \
    X(38, renameat, 4, sys_renameat)                     /* files */    \
    N(39, umount2)                                                      \
    N(40, mount)                                                        \
    N(41, pivot_root)                                                   \
    N(42, nfsservctl)                                                   \
    X(43, statfs, 2, sys_statfs)                         /* files */    \
    X(44, fstatfs, 2, sys_fstatfs)                       /* files */    \
    X(45, truncate, 2, sys_truncate)                     /* files */    \
    X(46, ftruncate, 2, sys_ftruncate)                   /* files */    \
    X(47, fallocate, 4, sys_fallocate)                   /* files */    \
    X(48, faccessat, 3, sys_faccessat)                   /* files */    \
    X(49, chdir, 1, sys_chdir)                           /* files */    \
    X(50, fchdir, 1, sys_fchdir)                         /* files */    \
    N(51, chroot)                                                       \
    X(52, fchmod, 2, sys_fchmod)                         /* files */    \
    X(53, fchmodat, 3, sys_fchmodat)                     /* files */    \
    X(54, fchownat, 5, sys_fchownat)                     /* files */    \
    X(55, fchown, 3, sys_fchown)                         /* files */    \
    X(56, openat, 4, sys_openat)                         /* files */    \
    X(57, close, 1, sys_close)                           /* files */    \
    N(58, vhangup)                                                      \
    X(59, pipe2, 2, sys_pipe2)                           /* files */    \
    N(60, quotactl)                                                     \
    X(61, getdents64, 3, sys_getdents64)                 /* files */    \
    X(62, lseek, 3, sys_lseek)                           /* files */    \
    X(63, read, 3, sys_read)                             /* files */    \
    X(64, write, 3, sys_write)                           /* files */    \
    X(65, readv, 3, sys_readv)                           /* files */    \
    X(66, writev, 3, sys_writev)                         /* files */    \
    X(67, pread64, 4, sys_pread64)                       /* files */    \
    X(68, pwrite64, 4, sys_pwrite64)                     /* files */    \
    N(69, preadv)                                                       \
    N(70, pwritev)                                                      \
    X(71, sendfile, 4, sys_sendfile)                     /* files */    \
    X(72, pselect6, 6, sys_pselect6)                     /* files */    \
    X(73, ppoll, 5, sys_ppoll)                           /* files */    \
    N(74, signalfd4)                                                    \
    N(75, vmsplice)                                                     \
    N(76, splice)                                                       \
    N(77, tee)                                                          \
    X(78, readlinkat, 4, sys_readlinkat)                 /* files */    \
    X(79, newfstatat, 4, sys_newfstatat)                 /* files */    \
    X(80, fstat, 2, sys_fstat)                           /* files */    \
    X(81, sync, 0, sys_sync)                             /* files */    \
    X(82, fsync, 1, sys_fsync)                           /* files */    \
    X(83, fdatasync, 1, sys_fdatasync)                   /* files */    \
    N(84, sync_file_range)                                              \
    N(85, timerfd_create)                                               \
    N(86, timerfd_settime)                                              \
    N(87, timerfd_gettime)                                              \
    X(88, utimensat, 4, sys_utimensat)                   /* files */    \
    N(89, acct)                                                         \
    N(90, capget)                                                       \
    N(91, capset)                                                       \
    N(92, personality)                                                  \
    X(93, exit, 1, sys_exit)                             /* thread */   \
    X(94, exit_group, 1, sys_exit_group)                 /* thread */   \
    X(95, waitid, 5, sys_waitid)                         /* process */  \
    X(96, set_tid_address, 1, sys_set_tid_address)       /* thread */   \
    N(97, unshare)                                                      \
    X(98, futex, 6, sys_futex)                           /* thread */   \
    X(99, set_robust_list, 2, sys_set_robust_list)       /* thread */   \
    X(100, get_robust_list, 3, sys_get_robust_list)      /* thread */   \
    X(101, nanosleep, 2, sys_nanosleep)                  /* time */     \
    X(102, getitimer, 2, sys_getitimer)                  /* timer */    \
    X(103, setitimer, 3, sys_setitimer)                  /* timer */    \
    N(104, kexec_load)                                                  \
    N(105, init_module)                                                 \
    N(106, delete_module)                                               \
    N(107, timer_create)                                                \
    N(108, timer_gettime)                                               \
    N(109, timer_getoverrun)                                            \
    N(110, timer_settime)                                               \
    N(111, timer_delete)                                                \
    N(112, clock_settime)                                               \
    X(113, clock_gettime, 2, sys_clock_gettime)          /* time */     \
    X(114, clock_getres, 2, sys_clock_getres)            /* time */     \
    X(115, clock_nanosleep, 4, sys_clock_nanosleep)      /* time */     \
    N(116, syslog)                                                      \
    N(117, ptrace)                                                      \
    N(118, sched_setparam)                                              \
    N(119, sched_setscheduler)                                          \
    N(120, sched_getscheduler)                                          \
    N(121, sched_getparam)                                              \
    N(122, sched_setaffinity)                                           \
    X(123, sched_getaffinity, 3, sys_sched_getaffinity)  /* process */  \
    X(124, sched_yield, 0, sys_sched_yield)              /* process */  \
    N(125, sched_get_priority_max)                                      \
    N(126, sched_get_priority_min)                                      \
    N(127, sched_rr_get_interval)                                       \
    N(128, restart_syscall)                                             \
    X(129, kill, 2, sys_kill)                            /* process */  \
    X(130, tkill, 2, sys_tkill)                          /* process */  \
    X(131, tgkill, 3, sys_tgkill)                        /* process */  \
    X(132, sigaltstack, 2, sys_sigaltstack)              /* signal */   \
    X(133, rt_sigsuspend, 2, sys_rt_sigsuspend)          /* signal */   \
    X(134, rt_sigaction, 4, sys_rt_sigaction)            /* signal */   \
    X(135, rt_sigprocmask, 4, sys_rt_sigprocmask)        /* signal */   \
    X(136, rt_sigpending, 2, sys_rt_sigpending)          /* signal */   \
    X(137, rt_sigtimedwait, 4, sys_rt_sigtimedwait)      /* signal */   \
    N(138, rt_sigqueueinfo)                                             \
    X(139, rt_sigreturn, 0, sys_rt_sigreturn)            /* signal */   \
    N(140, setpriority)                                                 \
    N(141, getpriority)                                                 \
    N(142, reboot)                                                      \
    X(143, setregid, 2, sys_setregid)                    /* process */  \
    X(144, setgid, 1, sys_setgid)                        /* process */  \
    X(145, setreuid, 2, sys_setreuid)                    /* process */  \
    X(146, setuid, 1, sys_setuid)                        /* process */  \
    X(147, setresuid, 3, sys_setresuid)                  /* process */  \
    X(148, getresuid, 3, sys_getresuid)                  /* process */  \
    X(149, setresgid, 3, sys_setresgid)                  /* process */  \
    X(150, getresgid, 3, sys_getresgid)                  /* process */  \
    N(151, setfsuid)                                                    \
    N(152, setfsgid)                                                    \
    X(153, times, 1, sys_times)                          /* process */  \
    X(154, setpgid, 2, sys_setpgid)                      /* process */  \
    X(155, getpgid, 1, sys_getpgid)                      /* process */  \
    X(156, getsid, 1, sys_getsid)                        /* process */  \
    X(157, setsid, 0, sys_setsid)                        /* process */  \
    X(158, getgroups, 2, sys_getgroups)                  /* process */  \
    N(159, setgroups)                                                   \
    X(160, uname, 1, sys_uname)                          /* process */  \
    N(161, sethostname)                                                 \
    N(162, setdomainname)                                               \
    X(163, getrlimit, 2, sys_getrlimit)                  /* process */  \
    X(164, setrlimit, 2, sys_setrlimit)                  /* process */  \
    X(165, getrusage, 2, sys_getrusage)                  /* process */  \
    X(166, umask, 1, sys_umask)                          /* files */    \
    X(167, prctl, 5, sys_prctl)                          /* process */  \
    N(168, getcpu)                                                      \
    X(169, gettimeofday, 2, sys_gettimeofday)            /* time */     \
    N(170, settimeofday)                                                \
    N(171, adjtimex)                                                    \
    X(172, getpid, 0, sys_getpid)                        /* process */  \
    X(173, getppid, 0, sys_getppid)                      /* process */  \
    X(174, getuid, 0, sys_getuid)                        /* process */  \
    X(175, geteuid, 0, sys_geteuid)                      /* process */  \
    X(176, getgid, 0, sys_getgid)                        /* process */  \
    X(177, getegid, 0, sys_getegid)                      /* process */  \
    X(178, gettid, 0, sys_gettid)                        /* process */  \
    X(179, sysinfo, 1, sys_sysinfo)                      /* process */  \
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
    N(198, socket)                                                      \
    N(199, socketpair)                                                  \
    N(200, bind)                                                        \
    N(201, listen)                                                      \
    N(202, accept)                                                      \
    N(203, connect)                                                     \
    N(204, getsockname)                                                 \
    N(205, getpeername)                                                 \
    N(206, sendto)                                                      \
    N(207, recvfrom)                                                    \
    N(208, setsockopt)                                                  \
    N(209, getsockopt)                                                  \
    N(210, shutdown)                                                    \
    N(211, sendmsg)                                                     \
    N(212, recvmsg)                                                     \
    N(213, readahead)                                                   \
    X(214, brk, 1, sys_brk)                              /* mem */      \
    X(215, munmap, 2, sys_munmap)                        /* mem */      \
    X(216, mremap, 5, sys_mremap)                        /* mem */      \
    N(217, add_key)                                                     \
    N(218, request_key)                                                 \
    N(219, keyctl)                                                      \
    X(220, clone, 5, sys_clone)                          /* thread */   \
    N(221, execve)                                                      \
    X(222, mmap, 6, sys_mmap)                            /* mem */      \
    N(223, fadvise64)                                                   \
    N(224, swapon)                                                      \
    N(225, swapoff)                                                     \
    X(226, mprotect, 3, sys_mprotect)                    /* mem */      \
    X(227, msync, 3, sys_msync)                          /* mem */      \
    X(228, mlock, 2, sys_mlock)                          /* mem */      \
    X(229, munlock, 2, sys_munlock)                      /* mem */      \
    N(230, mlockall)                                                    \
    N(231, munlockall)                                                  \
    N(232, mincore)                                                     \
    X(233, madvise, 3, sys_madvise)                      /* mem */      \
    N(234, remap_file_pages)                                            \
    N(235, mbind)                                                       \
    N(236, get_mempolicy)                                               \
    N(237, set_mempolicy)                                               \
    N(238, migrate_pages)                                               \
    N(239, move_pages)                                                  \
    N(240, rt_tgsigqueueinfo)                                           \
    N(241, perf_event_open)                                             \
    N(242, accept4)                                                     \
    N(243, recvmmsg)                                                    \
    X(260, wait4, 4, sys_wait4)                          /* process */  \
    X(261, prlimit64, 4, sys_prlimit64)                  /* process */  \
    N(262, fanotify_init)                                               \
    N(263, fanotify_mark)                                               \
    N(264, name_to_handle_at)                                           \
    N(265, open_by_handle_at)                                           \
    N(266, clock_adjtime)                                               \
    N(267, syncfs)                                                      \
    N(268, setns)                                                       \
    N(269, sendmmsg)                                                    \
    N(270, process_vm_readv)                                            \
    N(271, process_vm_writev)                                           \
    N(272, kcmp)                                                        \
    N(273, finit_module)                                                \
    N(274, sched_setattr)                                               \
    N(275, sched_getattr)                                               \
    X(276, renameat2, 5, sys_renameat2)                  /* files */    \
    N(277, seccomp)                                                     \
    X(278, getrandom, 3, sys_getrandom)                  /* process */  \
    N(279, memfd_create)                                                \
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
    X(291, statx, 5, sys_statx)                          /* files */    \
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
    X(439, faccessat2, 4, sys_faccessat2)                /* files */    \
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

/*
 * The calls the kernel restarts after a signal handler that has
 * SA_RESTART (they fail with -ERESTARTSYS when interrupted; signal(7)).
 * Every other call interrupted by a handler fails with EINTR: ppoll,
 * pselect6, epoll_pwait, nanosleep, clock_nanosleep, rt_sigsuspend,
 * rt_sigtimedwait, msgrcv, ...  dbt_rt_syscall applies the rule: host
 * handlers never have SA_RESTART, so the host call comes back with EINTR
 * and the guest handler runs before the call is made again.
 */
#define SYSCALL_RESTARTABLE(X)                                          \
    X(fcntl)          /* F_SETLKW, F_OFD_SETLKW */                      \
    X(ioctl)                                                            \
    X(flock)                                                            \
    X(openat)         /* FIFOs, devices */                              \
    X(read) X(write) X(readv) X(writev) X(pread64) X(pwrite64)          \
    X(preadv) X(pwritev) X(preadv2) X(pwritev2)                         \
    X(sendfile) X(splice) X(tee) X(copy_file_range)                     \
    X(waitid) X(wait4)                                                  \
    X(getrandom)                                                        \
    X(accept) X(accept4) X(connect) X(sendto) X(recvfrom)               \
    X(sendmsg) X(recvmsg)                                               \
    X(mq_timedsend) X(mq_timedreceive)

#endif
