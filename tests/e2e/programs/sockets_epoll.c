/* Sockets and event descriptors: a socketpair, AF_UNIX and AF_INET
 * loopback servers (bind, listen, connect, accept4, getsockname), a file
 * descriptor passed with SCM_RIGHTS, socket options, epoll over a pipe and
 * an eventfd (struct epoll_event differs between AArch64 and x86-64),
 * timerfd, memfd_create and sched_getscheduler. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

static void check(const char *what, long r) { printf("%s: %s\n", what, r >= 0 ? "ok" : "FAILED"); }

int main(void)
{
    int sv[2];
    check("socketpair", socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
    send(sv[0], "ping", 4, 0);
    char buf[64] = {0};
    long n = recv(sv[1], buf, sizeof buf, 0);
    printf("socketpair got %ld '%s'\n", n, buf);

    /* SCM_RIGHTS: pass a pipe's write end, write through the received fd. */
    int p[2];
    pipe(p);
    struct msghdr msg = {0};
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {"fd", 2};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf;
    msg.msg_controllen = sizeof cbuf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &p[1], sizeof(int));
    check("sendmsg", sendmsg(sv[0], &msg, 0));
    struct msghdr in = {0};
    char ibuf[8];
    struct iovec iiov = {ibuf, sizeof ibuf};
    char icbuf[CMSG_SPACE(sizeof(int))];
    in.msg_iov = &iiov;
    in.msg_iovlen = 1;
    in.msg_control = icbuf;
    in.msg_controllen = sizeof icbuf;
    n = recvmsg(sv[1], &in, 0);
    struct cmsghdr *ic = CMSG_FIRSTHDR(&in);
    int got = -1;
    if (ic && ic->cmsg_type == SCM_RIGHTS)
        memcpy(&got, CMSG_DATA(ic), sizeof got);
    write(got, "via passed fd", 13);
    n = read(p[0], buf, sizeof buf);
    printf("recvmsg %ld bytes, fd passed: %s, read back %ld '%.*s'\n", (long)iiov.iov_len > 0 ? 2L : 0L,
           got >= 0 && got != p[1] ? "yes" : "no", n, (int)n, buf);

    /* AF_UNIX server on an abstract address. */
    struct sockaddr_un ua = {.sun_family = AF_UNIX};
    memcpy(ua.sun_path, "\0dbt-aot-test", 13);
    socklen_t ulen = offsetof(struct sockaddr_un, sun_path) + 13;
    int us = socket(AF_UNIX, SOCK_STREAM, 0);
    check("unix bind", bind(us, (struct sockaddr *)&ua, ulen));
    check("unix listen", listen(us, 4));
    int uc = socket(AF_UNIX, SOCK_STREAM, 0);
    check("unix connect", connect(uc, (struct sockaddr *)&ua, ulen));
    int ua2 = accept4(us, NULL, NULL, SOCK_CLOEXEC);
    write(uc, "unix!", 5);
    n = read(ua2, buf, sizeof buf);
    printf("unix accept4 read %ld '%.*s'\n", n, (int)n, buf);

    /* AF_INET loopback, an ephemeral port. */
    int ts = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    check("setsockopt", setsockopt(ts, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    struct sockaddr_in ia = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    check("inet bind", bind(ts, (struct sockaddr *)&ia, sizeof ia));
    socklen_t ilen = sizeof ia;
    getsockname(ts, (struct sockaddr *)&ia, &ilen);
    printf("inet port assigned: %s\n", ntohs(ia.sin_port) != 0 ? "yes" : "no");
    listen(ts, 4);
    int tc = socket(AF_INET, SOCK_STREAM, 0);
    check("inet connect", connect(tc, (struct sockaddr *)&ia, sizeof ia));
    int ta = accept(ts, NULL, NULL);
    sendto(tc, "tcp data", 8, 0, NULL, 0);
    n = recvfrom(ta, buf, sizeof buf, 0, NULL, NULL);
    int val = 0;
    socklen_t vlen = sizeof val;
    getsockopt(ts, SOL_SOCKET, SO_REUSEADDR, &val, &vlen);
    printf("tcp got %ld '%.*s', SO_REUSEADDR %d\n", n, (int)n, buf, val != 0);
    shutdown(tc, SHUT_WR);
    printf("after shutdown: read %ld\n", (long)read(ta, buf, sizeof buf));

    /* epoll over a pipe and an eventfd. */
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int efd = eventfd(0, EFD_NONBLOCK);
    int q[2];
    pipe(q);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull};
    epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev);
    ev.data.u64 = 0xdeadbeefcafef00dull;
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
    write(q[1], "x", 1);
    uint64_t inc = 5;
    write(efd, &inc, sizeof inc);
    struct epoll_event out[4];
    memset(out, 0, sizeof out);
    int ne = epoll_wait(ep, out, 4, 1000);
    uint64_t sum = 0;
    for (int i = 0; i < ne; i++)
        sum += out[i].data.u64 + out[i].events;
    printf("epoll: %d events, data+events sum 0x%llx\n", ne, (unsigned long long)sum);
    uint64_t cnt = 0;
    read(efd, &cnt, sizeof cnt);
    printf("eventfd count %llu\n", (unsigned long long)cnt);

    /* timerfd: 10 ms, read the expiration count. */
    int tf = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {.it_value = {0, 10000000}};
    check("timerfd_settime", timerfd_settime(tf, 0, &its, NULL));
    uint64_t exp = 0;
    read(tf, &exp, sizeof exp);
    printf("timerfd expirations %llu\n", (unsigned long long)exp);

    int mf = memfd_create("dbt", MFD_CLOEXEC);
    write(mf, "memfd contents", 14);
    lseek(mf, 0, SEEK_SET);
    n = read(mf, buf, sizeof buf);
    printf("memfd read %ld '%.*s'\n", n, (int)n, buf);
    printf("scheduler %d\n", sched_getscheduler(0));
    return 0;
}
