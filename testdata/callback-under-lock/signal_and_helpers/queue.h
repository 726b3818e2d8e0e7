struct req { void (*done)(struct req *); int status; struct req *next; };
struct queue { struct req *head; };
void req_submit(struct queue *q, struct req *r, int notify);
