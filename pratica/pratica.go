package pratica

import (
	"encoding/json"
	"time"
)

// Pratica is one citizen's case as projected from its workflow.
type Pratica struct {
	ID           string     `gorm:"column:id;primaryKey" json:"id"`
	Ente         string     `gorm:"column:ente" json:"ente"`
	Service      string     `gorm:"column:service" json:"service"`
	Template     string     `gorm:"column:template" json:"template"`
	TemplateHash string     `gorm:"column:template_hash" json:"templateHash"`
	Owner        string     `gorm:"column:owner" json:"owner"`
	Status       Status     `gorm:"column:status" json:"status"`
	StatusCode   int        `gorm:"column:status_code" json:"statusCode"`
	Step         string     `gorm:"column:step" json:"step"`
	Holder       string     `gorm:"column:holder" json:"holder"`
	Office       string     `gorm:"column:office" json:"office"`
	Data         JSON       `gorm:"column:data" json:"data"`
	Deadline     *time.Time `gorm:"column:deadline" json:"deadline,omitempty"`
	Suspended    bool       `gorm:"column:suspended" json:"suspended"`
	// DaysRemaining is the frozen remainder of a suspended term (LegalClock.Remaining,
	// in the term's days); nil while the term runs.
	DaysRemaining *int      `gorm:"column:days_remaining" json:"-"`
	Outcome       string    `gorm:"column:outcome" json:"outcome,omitempty"`
	Actions       Strings   `gorm:"column:actions" json:"actions"`
	LastSeq       int64     `gorm:"column:last_seq" json:"-"`
	CreatedAt     time.Time `gorm:"column:created_at" json:"createdAt"`
	UpdatedAt     time.Time `gorm:"column:updated_at" json:"updatedAt"`
}

// TableName is the table of the projection.
func (Pratica) TableName() string { return "pratiche" }

// Event is one row of a pratica's timeline, keyed by the workflow's sequence number.
type Event struct {
	PraticaID  string    `gorm:"column:pratica_id;primaryKey" json:"-"`
	Seq        int64     `gorm:"column:seq;primaryKey" json:"seq"`
	At         time.Time `gorm:"column:at" json:"at"`
	Kind       string    `gorm:"column:kind" json:"kind"`
	Status     Status    `gorm:"column:status" json:"status"`
	StatusCode int       `gorm:"column:status_code" json:"statusCode"`
	Step       string    `gorm:"column:step" json:"step,omitempty"`
	Actor      string    `gorm:"column:actor" json:"actor,omitempty"`
	Holder     string    `gorm:"column:holder" json:"holder,omitempty"`
	MessageIT  string    `gorm:"column:message_it" json:"messageIt"`
	MessageEN  string    `gorm:"column:message_en" json:"messageEn"`
	Detail     JSON      `gorm:"column:detail" json:"detail,omitempty"`
}

// TableName is the timeline table.
func (Event) TableName() string { return "pratica_events" }

// Task is a human task of the operator inbox. Service and Applicant (the
// applicant's name) are the pratica's, copied when the task opens so the inbox
// filters, sorts and searches one table.
type Task struct {
	ID        string     `gorm:"column:id;primaryKey" json:"id"`
	PraticaID string     `gorm:"column:pratica_id" json:"praticaId"`
	Ente      string     `gorm:"column:ente" json:"ente"`
	Step      string     `gorm:"column:step" json:"step"`
	Service   string     `gorm:"column:service" json:"service"`
	Applicant string     `gorm:"column:applicant" json:"applicant"`
	TitleIT   string     `gorm:"column:title_it" json:"titleIt"`
	TitleEN   string     `gorm:"column:title_en" json:"titleEn"`
	Role      string     `gorm:"column:role" json:"role"`
	Office    string     `gorm:"column:office" json:"office,omitempty"`
	Outcomes  Strings    `gorm:"column:outcomes" json:"outcomes"`
	Form      string     `gorm:"column:form" json:"form,omitempty"`
	State     string     `gorm:"column:state" json:"state"` // open, claimed, done, cancelled
	ClaimedBy string     `gorm:"column:claimed_by" json:"claimedBy,omitempty"`
	Deadline  *time.Time `gorm:"column:deadline" json:"deadline,omitempty"`
	OpenedSeq int64      `gorm:"column:opened_seq" json:"-"`
	ClosedSeq *int64     `gorm:"column:closed_seq" json:"-"`
	Outcome   string     `gorm:"column:outcome" json:"outcome,omitempty"`
	CreatedAt time.Time  `gorm:"column:created_at" json:"createdAt"`
	UpdatedAt time.Time  `gorm:"column:updated_at" json:"updatedAt"`
	// DaysLeft is the legal term's days left (negative: overdue), computed when listed.
	DaysLeft *int `gorm:"-" json:"daysLeft,omitempty"`
}

// TableName is the inbox table.
func (Task) TableName() string { return "pratica_tasks" }

// Task states.
const (
	TaskOpen      = "open"
	TaskClaimed   = "claimed"
	TaskDone      = "done"
	TaskCancelled = "cancelled"
)

// Transition is what the workflow reports after each step of a pratica: the new
// state of the row and one timeline event. Seq orders them and makes the write
// idempotent: a retried activity with the same Seq changes nothing.
type Transition struct {
	PraticaID string         `json:"praticaId"`
	Seq       int64          `json:"seq"`
	At        time.Time      `json:"at"`
	Kind      string         `json:"kind"`
	Status    Status         `json:"status"`
	Step      string         `json:"step"`
	Actor     string         `json:"actor,omitempty"`
	Holder    string         `json:"holder,omitempty"` // "citizen" or the office holding the pratica
	Office    string         `json:"office,omitempty"`
	MessageIT string         `json:"messageIt"`
	MessageEN string         `json:"messageEn"`
	Detail    map[string]any `json:"detail,omitempty"`
	Actions   []string       `json:"actions"`
	Deadline  *time.Time     `json:"deadline,omitempty"`
	Suspended bool           `json:"suspended,omitempty"`
	// Remaining is the days of the term left when it was suspended; set only while suspended.
	Remaining *int   `json:"remaining,omitempty"`
	Outcome   string `json:"outcome,omitempty"`
	// Data replaces the pratica's data when set (after a submission or integration).
	Data map[string]any `json:"data,omitempty"`
	// OpenTask opens an inbox task; CloseTask closes the open task of that step.
	OpenTask  *Task  `json:"openTask,omitempty"`
	CloseTask string `json:"closeTask,omitempty"`
	// CancelTasks closes every open task (withdrawal, cancellation).
	CancelTasks bool `json:"cancelTasks,omitempty"`
	// Tasks are the open tasks whose office or assignee this transition changed
	// (claim, reassignment, escalation): the inbox rows follow them.
	Tasks []TaskChange `json:"tasks,omitempty"`
}

// TaskChange is the new office and assignee of the open task of one step; an
// empty ClaimedBy leaves the task open for anyone of the office.
type TaskChange struct {
	Step      string `json:"step"`
	Office    string `json:"office"`
	ClaimedBy string `json:"claimedBy,omitempty"`
}

// JSON is a JSON document stored as text, so both engines read it the same way.
type JSON json.RawMessage
